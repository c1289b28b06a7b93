package io.engage.cli;

/** A problem the user can fix (bad argument, unreachable service); printed as one line, no stack trace. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
