package io.engage.ingest.normalize;

/**
 * The Schema Registry could not answer (unreachable, 5xx, refused credentials) while decoding a record. Not a
 * property of the record: dead-lettering it would lose a good reading, so processing stops and resumes from the
 * last commit instead.
 */
public final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} or one of its causes says the registry was unavailable (rather than the bytes bad). */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
