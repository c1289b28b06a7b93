package io.engage.schemas.registry;

/** An error answer from a Schema Registry, with the HTTP status and the Confluent error code. */
public class SchemaRegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (HTTP " + status + ", error code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errorCode = -1;
    }

    /** HTTP status, or -1 when no answer came (connection failure). */
    public int status() {
        return status;
    }

    /** Confluent error code such as 40401, or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** Subject, version or schema not found. */
    public boolean isNotFound() {
        return status == 404;
    }
}
