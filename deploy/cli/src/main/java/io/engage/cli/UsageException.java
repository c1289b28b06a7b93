package io.engage.cli;

/** A bad argument the command found itself (an unknown topic, a range that ends before it starts): one line, exit 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
