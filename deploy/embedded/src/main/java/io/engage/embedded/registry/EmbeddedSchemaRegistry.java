package io.engage.embedded.registry;

import io.engage.embedded.kafka.PortInUseException;
import io.engage.embedded.kafka.Ports;
import io.javalin.Javalin;
import java.net.BindException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded, Confluent-compatible Schema Registry (Avro only) for local use and tests.
 *
 * <p>It serves the Confluent REST API ({@code /subjects...}, {@code /schemas/ids/...}, {@code /compatibility/...},
 * {@code /config...}, {@code GET /mode}) with Confluent's error codes, and keeps its state in a compacted,
 * single-partition Kafka topic in Confluent's {@code _schemas} record format: on start it reads the topic from
 * the beginning to its end offset before serving; every write goes to the topic and returns only once the
 * registry has read it back. Ids are global and stable across restarts (the same schema gets the same id in
 * every subject; a new schema gets the highest id seen plus one).
 *
 * <p>Soft-deleted versions keep their ids resolvable. An id whose every version was permanently deleted is not
 * handed out again while the registry runs; after a restart it may be, once compaction has removed the
 * tombstones and it was the highest id (Confluent's registry behaves the same way).
 *
 * <p><b>Single writer.</b> Exactly one registry instance may write to a given topic at a time: there is no
 * leader election, so two instances on the same topic could hand out the same id. Read-only use of the topic by
 * other tools is fine.
 *
 * <p>It listens on the loopback interface only. Schema references and schema types other than AVRO are
 * refused with 422 / 42201.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    /** The configuration key named in {@link PortInUseException}. */
    public static final String PORT_KEY = "registry.port";

    private final Javalin http;
    private final KafkaSchemaStore store;
    private final int port;
    private final String topic;
    private boolean closed;

    private final String scheme;

    private EmbeddedSchemaRegistry(Javalin http, KafkaSchemaStore store, int port, String topic, String scheme) {
        this.scheme = scheme;
        this.http = http;
        this.store = store;
        this.port = port;
        this.topic = topic;
    }

    /**
     * Starts a registry on {@code port} (0 picks a free one) storing its state in {@code topicName} on the
     * Kafka cluster at {@code bootstrapServers}; the topic is created when missing.
     *
     * @throws PortInUseException    when {@code port} is taken
     * @throws IllegalStateException when Kafka cannot be reached or the topic cannot be read
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, int port, String topicName) {
        return start(bootstrapServers, port, topicName, Map.of());
    }

    /**
     * As {@link #start(String, int, String)}, with extra Kafka client properties (security settings, for
     * example) applied to the registry's admin client, producer and consumer.
     */
    public static EmbeddedSchemaRegistry start(
            String bootstrapServers, int port, String topicName, Map<String, ?> kafkaClientConfig) {
        return start(bootstrapServers, port, topicName, kafkaClientConfig, null);
    }

    /**
     * As {@link #start(String, int, String, Map)}, requiring HTTP basic auth with {@code userInfo} ({@code
     * user:password}; null: none) on every request, as Confluent's registry does with its basic authentication
     * realm: 401 with {@code WWW-Authenticate} otherwise.
     */
    public static EmbeddedSchemaRegistry start(
            String bootstrapServers, int port, String topicName, Map<String, ?> kafkaClientConfig, String userInfo) {
        return start(bootstrapServers, port, topicName, kafkaClientConfig, userInfo, null, null);
    }

    /**
     * As {@link #start(String, int, String, Map, String)}, speaking HTTPS only when {@code keyStore} (its key and
     * certificate chain, unlocked by {@code keyStorePassword}) is given, as a registry behind TLS does.
     */
    public static EmbeddedSchemaRegistry start(
            String bootstrapServers,
            int port,
            String topicName,
            Map<String, ?> kafkaClientConfig,
            String userInfo,
            java.security.KeyStore keyStore,
            String keyStorePassword) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (userInfo != null && (userInfo.indexOf(':') <= 0 || userInfo.endsWith(":"))) {
            throw new IllegalArgumentException("registry basic auth must be user:password");
        }
        Objects.requireNonNull(topicName, "topicName");
        if (topicName.isBlank()) {
            throw new IllegalArgumentException("the schema registry topic name is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid registry port " + port);
        }
        if (port != 0) {
            Ports.requireFree(port, PORT_KEY);
        }
        RegistryState state = new RegistryState();
        KafkaSchemaStore store =
                new KafkaSchemaStore(bootstrapServers, topicName, Map.copyOf(kafkaClientConfig), state);
        Javalin http = null;
        try {
            store.start();
            RestApi api = new RestApi(new SchemaRegistryService(state, store), userInfo);
            QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
            threads.setName("schema-registry-http");
            threads.setDaemon(true);
            http = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.threadPool = threads;
                config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                if (keyStore != null) {
                    config.jetty.addConnector((server, httpConfig) -> {
                        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
                                new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
                        ssl.setKeyStore(keyStore);
                        ssl.setKeyStorePassword(keyStorePassword);
                        httpConfig.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer());
                        org.eclipse.jetty.server.ServerConnector https = new org.eclipse.jetty.server.ServerConnector(
                                server,
                                new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
                                new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
                        https.setHost(InetAddress.getLoopbackAddress().getHostAddress());
                        https.setPort(port);
                        return https;
                    });
                }
                api.configure(config);
            });
            startHttp(http, port);
            int actualPort = http.port();
            String scheme = keyStore != null ? "https" : "http";
            LOG.info(
                    "embedded schema registry listening on {}://localhost:{} (topic '{}')",
                    scheme,
                    actualPort,
                    topicName);
            return new EmbeddedSchemaRegistry(http, store, actualPort, topicName, scheme);
        } catch (RuntimeException e) {
            stopQuietly(http);
            store.close();
            throw e;
        }
    }

    private static void startHttp(Javalin http, int port) {
        try {
            http.start(InetAddress.getLoopbackAddress().getHostAddress(), port);
        } catch (RuntimeException e) {
            if (port != 0 && isBindFailure(e)) {
                throw new PortInUseException(port, PORT_KEY);
            }
            throw e;
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t.getClass().getSimpleName().equals("JavalinBindException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The registry's base URL, {@code http://localhost:<port>} ({@code https} with a key store). */
    public String url() {
        return scheme + "://localhost:" + port;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The Kafka topic holding its state. */
    public String topic() {
        return topic;
    }

    /** Stops the HTTP server, then the Kafka clients. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly(http);
        store.close();
        LOG.info("embedded schema registry on port {} stopped", port);
    }

    private static void stopQuietly(Javalin http) {
        if (http == null) {
            return;
        }
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping the schema registry HTTP server: {}", e.toString());
        }
    }
}
