package io.engage.simulator;

/**
 * A sink cannot go on: a misconfiguration or a protocol violation (wrong token, unexpected status, unknown reason
 * code), as opposed to a transient failure, which a sink reports per reading in its {@link SendResult}.
 */
public class SinkException extends RuntimeException {
    public SinkException(String message) {
        super(message);
    }

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
