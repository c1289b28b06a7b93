package io.engage.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema Registry client over the Confluent REST API, as served by Confluent Schema Registry, Karapace,
 * Redpanda and Apicurio's compatibility API.
 *
 * <p>Retries with exponential backoff and jitter on connection errors and 5xx answers, fails over across
 * the configured URLs, sends HTTP basic auth when configured, and uses TLS through JSSE (the JVM's default
 * trust store and {@code javax.net.ssl.*} properties, or the {@code schema.registry.ssl.*} stores).
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final HttpClient http;
    private final String authHeader;
    /** Index of the URL that answered last; requests start there. */
    private volatile int preferredUrl;

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    /** Subject, then schema text (from {@link #texts}), to id. */
    private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();

    private final Map<String, Map<String, SchemaMetadata>> lookupsBySubject = new ConcurrentHashMap<>();
    /** Serialisers ask on every record: render each schema instance once, not per call. */
    private final SchemaTexts texts;

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this(config, new SchemaTexts(config.cacheCapacity()));
    }

    /** With the schema texts given, so tests can count renderings. */
    RestSchemaRegistryClient(RegistryClientConfig config, SchemaTexts texts) {
        this.config = config;
        this.texts = texts;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (config.truststoreLocation() != null || config.keystoreLocation() != null) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
        this.authHeader = config.userInfo() == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString(config.userInfo().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        String canonical = texts.of(schema);
        Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(canonical);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", canonical);
        JsonNode answer = send("POST", "/subjects/" + enc(subject) + "/versions", body);
        int id = answer.path("id").asInt();
        cacheId(subject, canonical, id, schema);
        return id;
    }

    @Override
    public SchemaMetadata lookup(String subject, Schema schema) {
        String canonical = texts.of(schema);
        SchemaMetadata cached = lookupsBySubject.getOrDefault(subject, Map.of()).get(canonical);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", canonical);
        JsonNode answer = send("POST", "/subjects/" + enc(subject), body);
        SchemaMetadata meta = new SchemaMetadata(
                subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
        lookupsBySubject
                .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .put(canonical, meta);
        cacheId(subject, canonical, meta.id(), schema);
        return meta;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, -1, "schema " + id + " is of type " + type + ", not AVRO");
        }
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        if (schemasById.size() < config.cacheCapacity()) {
            schemasById.put(id, schema);
        }
        return schema;
    }

    @Override
    public SchemaMetadata latest(String subject) {
        return metadata(send("GET", "/subjects/" + enc(subject) + "/versions/latest", null));
    }

    @Override
    public SchemaMetadata version(String subject, int version) {
        return metadata(send("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode answer = send("GET", "/subjects/" + enc(subject) + "/versions", null);
        List<Integer> out = new ArrayList<>();
        answer.forEach(n -> out.add(n.asInt()));
        return out;
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        List<String> out = new ArrayList<>();
        answer.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", texts.of(schema));
        try {
            return send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", body)
                    .path("is_compatible")
                    .asBoolean();
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    @Override
    public String compatibility(String subject) {
        String path = subject == null ? "/config" : "/config/" + enc(subject) + "?defaultToGlobal=true";
        JsonNode answer = send("GET", path, null);
        JsonNode level =
                answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        return level == null ? null : level.asText();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String path = subject == null ? "/config" : "/config/" + enc(subject);
        send("PUT", path, JSON.createObjectNode().put("compatibility", level));
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        JsonNode answer = send("DELETE", "/subjects/" + enc(subject) + (permanent ? "?permanent=true" : ""), null);
        idsBySubject.remove(subject);
        lookupsBySubject.remove(subject);
        List<Integer> out = new ArrayList<>();
        answer.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private void cacheId(String subject, String canonical, int id, Schema schema) {
        Map<String, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        if (ids.size() < config.cacheCapacity()) {
            ids.put(canonical, id);
        }
        if (schemasById.size() < config.cacheCapacity()) {
            schemasById.putIfAbsent(id, schema);
        }
    }

    private static SchemaMetadata metadata(JsonNode n) {
        return new SchemaMetadata(
                n.path("subject").asText(),
                n.path("version").asInt(),
                n.path("id").asInt(),
                new Schema.Parser().parse(n.path("schema").asText()));
    }

    /** Sends one request with retries on connection errors and 5xx; 4xx answers fail at once. */
    JsonNode send(String method, String pathAndQuery, JsonNode body) {
        long backoff = config.initialBackoff().toMillis();
        SchemaRegistryException last = null;
        int attempts = config.maxAttempts();
        int urlCount = config.urls().size();
        int first = preferredUrl;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int index = (first + attempt - 1) % urlCount;
            String base = config.urls().get(index);
            try {
                HttpResponse<String> response = http.send(
                        request(base, method, pathAndQuery, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    preferredUrl = index; // stay on a registry that answers instead of probing a dead one first
                    return parse(status, response.body(), method, pathAndQuery);
                }
                SchemaRegistryException error = error(status, response.body(), method, pathAndQuery);
                if (status < 500 && status != 408 && status != 429) {
                    throw error;
                }
                last = error;
            } catch (IOException e) {
                last = new SchemaRegistryException(
                        "schema registry " + base + " unreachable for " + method + " " + pathAndQuery + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling schema registry", e);
            }
            if (attempt < attempts) {
                long sleep = Math.min(backoff, config.maxBackoff().toMillis());
                sleep = sleep / 2 + ThreadLocalRandom.current().nextLong(sleep / 2 + 1);
                LOG.debug(
                        "schema registry call {} {} failed (attempt {}/{}), retrying in {} ms: {}",
                        method,
                        pathAndQuery,
                        attempt,
                        attempts,
                        sleep,
                        last.getMessage());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SchemaRegistryException("interrupted while calling schema registry", e);
                }
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
        throw last;
    }

    /** A 2xx body; one that is not JSON (a proxy's login page, say) fails at once: retrying will not fix it. */
    private static JsonNode parse(int status, String text, String method, String path) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            String start = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            throw new SchemaRegistryException(status, -1, method + " " + path + ": answer is not valid JSON: " + start);
        }
    }

    private HttpRequest request(String base, String method, String pathAndQuery, JsonNode body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(config.requestTimeout())
                .header(
                        "Accept",
                        CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5");
        if (authHeader != null) {
            b.header("Authorization", authHeader);
        }
        if (body != null) {
            b.header("Content-Type", CONTENT_TYPE);
            b.method(
                    method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static SchemaRegistryException error(int status, String text, String method, String path) {
        int code = status;
        String message = text;
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.isObject()) {
                code = n.path("error_code").asInt(status);
                message = n.path("message").asText(text);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: keep the raw text
        }
        String what = method + " " + path + ": " + message;
        if (status == 409 || code == 409 || code == 40901) {
            return new IncompatibleSchemaException(status, code, what);
        }
        return new SchemaRegistryException(status, code, what);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(RegistryClientConfig c) {
        try {
            TrustManagerFactory tmf = null;
            if (c.truststoreLocation() != null) {
                KeyStore ts = load(c.truststoreType(), c.truststoreLocation(), c.truststorePassword());
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            KeyManagerFactory kmf = null;
            if (c.keystoreLocation() != null) {
                KeyStore ks = load(c.keystoreType(), c.keystoreLocation(), c.keystorePassword());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(
                        ks,
                        c.keystorePassword() == null
                                ? null
                                : c.keystorePassword().toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "cannot set up TLS for the schema registry client: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String type, String location, String password)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = new FileInputStream(location)) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + config;
    }
}
