package io.engage.processing;

import io.engage.schemas.registry.SchemaRegistryException;

/**
 * The Schema Registry could not answer (unreachable, 5xx, refused credentials, rate-limited) while decoding a record.
 * Not a property of the record: dead-lettering or skipping it would lose a good record, so processing stops and
 * resumes from the last commit instead.
 */
public final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code e} or one of its causes says the registry was unavailable rather than the bytes bad: this
     * exception, or a registry error that is not about the record (no answer, 5xx, 401/403, 429). "Not found" (an
     * unknown schema id) and a 2xx with a schema that is not Avro are the record's fault.
     */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
            if (t instanceof SchemaRegistryException sre) {
                int status = sre.status();
                return !(sre.isNotFound() || (status >= 200 && status < 300));
            }
        }
        return false;
    }
}
