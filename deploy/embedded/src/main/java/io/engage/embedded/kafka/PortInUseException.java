package io.engage.embedded.kafka;

/** A port the configuration asked for is already taken by another process. */
public final class PortInUseException extends RuntimeException {
    private final int port;
    private final String configKey;

    public PortInUseException(int port, String configKey) {
        super("port " + port + " (" + configKey
                + ") is already in use; stop the process using it or choose another port with --"
                + configKey.replace('.', '-') + " or ENGAGE_"
                + configKey.toUpperCase().replace('.', '_').replace('-', '_'));
        this.port = port;
        this.configKey = configKey;
    }

    public int port() {
        return port;
    }

    public String configKey() {
        return configKey;
    }
}
