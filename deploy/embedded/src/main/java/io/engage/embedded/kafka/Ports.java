package io.engage.embedded.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks, so a taken port gives a clear message instead of a bind stack trace. */
public final class Ports {
    private Ports() {}

    /** A port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port: " + e.getMessage(), e);
        }
    }

    /**
     * Returns {@code port} when nothing listens on it, otherwise throws {@link PortInUseException}
     * naming the configuration key that chose it.
     */
    public static int requireFree(int port, String configKey) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new PortInUseException(port, configKey);
        }
        return port;
    }
}
