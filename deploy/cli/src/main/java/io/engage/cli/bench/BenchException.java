package io.engage.cli.bench;

/** A benchmark phase could not complete (a timeout, a failed check): the run stops with this message. */
public final class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
