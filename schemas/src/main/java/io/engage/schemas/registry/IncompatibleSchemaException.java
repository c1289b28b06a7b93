package io.engage.schemas.registry;

/** The registry refused a schema as incompatible with the subject (HTTP 409, error code 409 or 40901). */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    public IncompatibleSchemaException(int status, int errorCode, String message) {
        super(status, errorCode, message);
    }
}
