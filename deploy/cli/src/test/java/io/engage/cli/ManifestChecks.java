package io.engage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What {@link ManifestDriftTest} checks in the deployment files under a repository root (deploy/compose, deploy/k8s,
 * deploy/prometheus, deploy/grafana, deploy/docker): topic names against the topic catalogue, {@code ENGAGE_*}
 * variables against the configuration keys, commands against the command line, ports against the configuration each
 * process resolves, metric names against docs/operations.md and the code, scrape jobs (compose and Kubernetes) against
 * the job names the alert rules select on. Each finding is one line naming the file.
 */
final class ManifestChecks {
    /** Variables the launcher reads itself (docs/configuration.md), not configuration keys. */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("ENGAGE_JAVA_OPTS", "ENGAGE_LOG_LEVEL");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::?[-?][^}]*)?}");
    private static final Pattern K8S_VARIABLE = Pattern.compile("\\$\\(([A-Za-z0-9_]+)\\)");
    private static final Pattern ENGAGE_VARIABLE = Pattern.compile("\\bENGAGE_[A-Z0-9_]+");
    private static final Pattern TOPIC_MATCHER = Pattern.compile("\\btopic\\s*=~?\\s*\"([^\"]*)\"");
    private static final Pattern ENGAGE_IMAGE = Pattern.compile("(^|/)engage:[^/]+$");
    /** A setting whose name ends in the word topic(s), and its value: {@code KAFKASTORE_TOPIC: _schemas}, {@code X=y}. */
    private static final Pattern NAMED_BY_KEY =
            Pattern.compile("(?<![\\w.-])(?:[\\w.-]*[_.-])?(?i:topics?)[\"']?[ \\t]*[:=][ \\t]*[\"']?([\\w.,-]+)");
    /** A Kubernetes env entry whose name ends in the word topic(s), and its value on the next line. */
    private static final Pattern NAMED_BY_ENV_ENTRY = Pattern.compile(
            "name:[ \\t]*[\"']?[\\w.-]*[_.-](?i:topics?)[\"']?[ \\t]*\\n[ \\t]*value:[ \\t]*[\"']?([\\w.,-]+)");
    /** The argument of --topic, --topics or --input-topics, on a command line or in a command array. */
    private static final Pattern NAMED_BY_OPTION =
            Pattern.compile("(?<![\\w-])--(?:input-)?topics?(?:=|[ \\t]+|[\"'][ \\t]*,[ \\t]*[\"'])([\\w.,-]+)");

    private final Path root;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> catalogueBaseNames = new TreeSet<>();
    /** The topic.prefix of every engage process of the files (and none): named topics may carry any of them. */
    private final Set<String> topicPrefixes = new TreeSet<>(Set.of(""));

    private final Pattern topicLike;

    ManifestChecks(Path root) {
        this.root = root.toAbsolutePath().normalize();
        Set<String> firstSegments = new TreeSet<>();
        for (TopicSpec<?, ?> spec : Topics.all()) {
            catalogueBaseNames.add(spec.baseName());
            int dot = spec.baseName().indexOf('.');
            if (dot > 0) {
                firstSegments.add(spec.baseName().substring(0, dot));
            }
        }
        // a word that starts like a dotted catalogue name (readings.raw, social.cheers, ...): a topic mention
        topicLike = Pattern.compile("(?<![\\w./-])(?:" + String.join("|", firstSegments)
                + ")\\.[a-z][a-z_]*(?:\\.[a-z][a-z_]*)*(?![\\w/])");
    }

    /** Runs every check; the findings, empty when the files agree with the code and the docs. */
    List<String> run() {
        checkTopicMentions();
        checkCompose();
        checkKubernetes();
        checkNamedTopics();
        checkPrometheus();
        checkGrafana();
        checkDockerfile();
        return List.copyOf(problems);
    }

    // ---- topics ----

    /** Every word shaped like a catalogue topic, anywhere in the deployment files, is a catalogue topic. */
    private void checkTopicMentions() {
        for (Path file : deploymentFiles()) {
            String text = read(file);
            Matcher m = topicLike.matcher(text);
            while (m.find()) {
                checkTopic(file, m.group(), "");
            }
            Matcher label = TOPIC_MATCHER.matcher(text);
            while (label.find()) {
                checkTopic(file, label.group(1), "");
            }
        }
    }

    /**
     * Where a file names a topic, the name is a catalogue topic whatever it looks like, so a name misspelt in its first
     * segment ({@code readngs.raw}, {@code activty.daily}), which the word-shape check above cannot tell from any
     * other dotted word, is caught there. The places: the value of a setting whose name ends in the word topic or
     * topics (a YAML or JSON key, a {@code KEY=value} line, a Kubernetes env entry's {@code name}), comma-separated;
     * and the argument of {@code --topic}, {@code --topics} or {@code --input-topics}, in commands, comments and
     * descriptions alike. Settings about a topic rather than naming one ({@code ..._TOPIC_REPLICATION_FACTOR},
     * {@code ENGAGE_TOPIC_PREFIX}) do not end in the word and are not read. A name may carry the topic.prefix of any
     * engage process of the files, or none.
     */
    private void checkNamedTopics() {
        for (Path file : deploymentFiles()) {
            String text = read(file);
            for (Pattern place : List.of(NAMED_BY_KEY, NAMED_BY_ENV_ENTRY, NAMED_BY_OPTION)) {
                Matcher m = place.matcher(text);
                while (m.find()) {
                    for (String name : m.group(1).split(",")) {
                        String topic = name.replaceAll("\\.+$", ""); // a sentence's full stop after the name
                        // in prose (a comment, a dashboard's text) only what looks like a topic name: dotted
                        // (readings.raw) or the registry's _schemas; a word after "topic" there ("one topic: 6
                        // partitions", "--topic to ...") is not one, and a misspelt undotted name is not caught there
                        boolean prose = file.toString().endsWith(".json") || onCommentLine(text, m.start());
                        boolean looksLikeTopic = !prose || topic.contains(".") || topic.startsWith("_");
                        if (looksLikeTopic
                                && !topic.startsWith("__") // Kafka's own topics
                                && topicPrefixes.stream()
                                        .allMatch(p -> new TopicCatalogue(p)
                                                .byName(topic)
                                                .isEmpty())) {
                            checkTopic(file, topic, "");
                        }
                    }
                }
            }
        }
    }

    /** Whether the line holding {@code at} is a comment ({@code #} first, as in YAML, properties and shell). */
    private static boolean onCommentLine(String text, int at) {
        int start = text.lastIndexOf('\n', at) + 1;
        return text.substring(start, at).trim().startsWith("#");
    }

    private void checkTopic(Path file, String topic, String prefix) {
        if (new TopicCatalogue(prefix).byName(topic).isEmpty()) {
            problem(
                    file,
                    "topic '" + topic + "' is not in the topic catalogue (io.engage.schemas.topics.Topics"
                            + (prefix.isEmpty() ? "" : ", prefix '" + prefix + "'") + ")");
        }
    }

    // ---- compose ----

    private record EngageProcess(String name, List<String> command, EngageConfig config) {
        boolean ingest() {
            return command.equals(List.of("ingest"));
        }

        boolean streams() {
            return command.equals(List.of("streams"));
        }

        int port() {
            return config.intValue(ingest() ? EngageConfig.INGEST_PORT : EngageConfig.QUERY_PORT);
        }
    }

    private final Map<String, EngageProcess> composeProcesses = new LinkedHashMap<>();

    /** The {@code ENV} of the engage image (deploy/docker/Dockerfile): every engage container starts with it. */
    private Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^ENV\\s+(.*)$").matcher(read(root.resolve("deploy/docker/Dockerfile")));
        while (m.find()) {
            for (String assignment : m.group(1).trim().split("\\s+")) {
                if (assignment.contains("=")) {
                    env.put(
                            assignment.substring(0, assignment.indexOf('=')),
                            assignment.substring(assignment.indexOf('=') + 1));
                }
            }
        }
        return env;
    }

    private void checkCompose() {
        Path file = root.resolve("deploy/compose/compose.yaml");
        if (!Files.exists(file)) {
            problem(file, "missing");
            return;
        }
        Map<String, String> dotEnv = dotEnv(root.resolve("deploy/compose/.env.example"));
        JsonNode services = yaml(file).path("services");
        Set<String> engageImages = new HashSet<>();
        services.fields().forEachRemaining(e -> {
            JsonNode build = e.getValue().path("build");
            if (build.isObject()) {
                Path context = file.getParent().resolve(build.path("context").asText("."));
                Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
                if (!Files.exists(dockerfile)) {
                    problem(file, "service " + e.getKey() + " builds from " + dockerfile + ", which does not exist");
                }
                if (dockerfile.normalize().endsWith(Path.of("deploy/docker/Dockerfile"))) {
                    engageImages.add(e.getValue().path("image").asText());
                }
            }
        });
        if (engageImages.isEmpty()) {
            problem(file, "no service builds the engage image (deploy/docker/Dockerfile)");
        }
        Set<List<String>> commands = new HashSet<>();
        Set<String> instanceIds = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> it = services.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String service = e.getKey();
            JsonNode s = e.getValue();
            Map<String, String> env = new LinkedHashMap<>(imageEnvironment());
            s.path("environment")
                    .fields()
                    .forEachRemaining(v -> env.put(v.getKey(), interpolate(v.getValue(), dotEnv)));
            if (!engageImages.contains(s.path("image").asText())) {
                continue;
            }
            List<String> args = strings(s.path("command"));
            EngageProcess process = engageProcess(file, service, args, env);
            if (process == null) {
                continue;
            }
            commands.add(process.command());
            topicPrefixes.add(process.config().topicPrefix());
            if (process.ingest() || process.streams()) {
                composeProcesses.put(service, process);
                checkComposePorts(file, service, s, process);
                String dataDir = process.config().get(EngageConfig.DATA_DIR);
                if (strings(s.path("volumes")).stream().noneMatch(v -> v.endsWith(":" + dataDir))) {
                    problem(file, service + ": data.dir " + dataDir + " is not on a volume");
                }
                String id = process.config().get(EngageConfig.INSTANCE_ID);
                if (id == null) {
                    problem(
                            file,
                            service + ": set instance.id (ENGAGE_INSTANCE_ID): several instances run, each needs"
                                    + " a stable, unique one (docs/configuration.md)");
                } else if (!instanceIds.add(process.command() + id)) {
                    problem(file, service + ": instance.id '" + id + "' is used by another instance");
                }
            }
            if (process.streams()) {
                String advertised = process.config().get(EngageConfig.QUERY_ADVERTISED_HOST);
                String hostname = s.path("hostname").asText(service);
                if (!advertised.equals(service) && !advertised.equals(hostname)) {
                    problem(
                            file,
                            service + ": query.advertised.host '" + advertised + "' is not a name the other"
                                    + " instances reach it at (" + service + ", docs/query.md \"Several instances\")");
                }
            }
        }
        for (List<String> required : List.of(List.of("ingest"), List.of("streams"), List.of("topics", "create"))) {
            if (!commands.contains(required)) {
                problem(file, "no engage service runs '" + String.join(" ", required) + "'");
            }
        }
        // the registry's storage topic (SCHEMA_REGISTRY_KAFKASTORE_TOPIC) is checked with every named topic
        // (checkNamedTopics)
        checkEngageVariables(root.resolve("deploy/compose/.env.example"), dotEnv.keySet());
    }

    private void checkComposePorts(Path file, String service, JsonNode s, EngageProcess process) {
        for (String mapping : strings(s.path("ports"))) {
            String container = mapping.substring(mapping.lastIndexOf(':') + 1).replaceAll("/.*", "");
            if (Integer.parseInt(container) != process.port()) {
                problem(
                        file,
                        service + ": port mapping " + mapping + " does not reach the API's port " + process.port());
            }
        }
    }

    /** Parses an engage command line as the image's entry point would and resolves its configuration. */
    private EngageProcess engageProcess(Path file, String name, List<String> args, Map<String, String> env) {
        checkEngageVariables(file, env.keySet());
        ParseResult parsed;
        try {
            parsed = EngageCli.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            problem(
                    file,
                    name + ": './engage " + String.join(" ", args) + "' is not a valid command: " + e.getMessage());
            return null;
        }
        List<String> path = new ArrayList<>();
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
            path.add(leaf.commandSpec().name());
        }
        Object command = leaf.commandSpec().userObject();
        ConfigOptions options;
        if (command instanceof ClusterProcessCommand<?> cluster) {
            options = cluster.options;
        } else if (command instanceof TopicsCommand.Create create) {
            options = create.options;
        } else {
            problem(
                    file,
                    name + ": runs './engage " + String.join(" ", path)
                            + "'; a deployment runs ingest, streams or topics create");
            return null;
        }
        Map<String, String> engageEnv = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("ENGAGE_")) {
                engageEnv.put(k, v);
            }
        });
        EngageConfig config;
        try {
            config = options.resolve(engageEnv);
        } catch (RuntimeException e) {
            problem(file, name + ": configuration does not load: " + e.getMessage());
            return null;
        }
        for (String variable : engageEnv.keySet()) {
            if (LAUNCHER_VARIABLES.contains(variable)) {
                continue;
            }
            boolean read = config.describe().keySet().stream()
                    .anyMatch(k -> config.source(k).equals("environment " + variable));
            if (!read) {
                problem(file, name + ": " + variable + " is ignored by the configuration");
            }
        }
        if (path.equals(List.of("ingest")) || path.equals(List.of("streams"))) {
            ApiTokens tokens;
            try {
                tokens = ApiTokens.fromConfig(config);
            } catch (RuntimeException e) {
                problem(file, name + ": tokens do not load: " + e.getMessage());
                return null;
            }
            List<ApiTokens.Role> needed = path.get(0).equals("ingest")
                    ? List.of(ApiTokens.Role.gateway, ApiTokens.Role.admin)
                    : List.of(ApiTokens.Role.read);
            for (ApiTokens.Role role : needed) {
                if (!tokens.configured(role)) {
                    problem(
                            file,
                            name + ": no auth.token." + role + " (ENGAGE_AUTH_TOKEN_"
                                    + role.name().toUpperCase() + "), which " + path.get(0) + " needs");
                }
            }
        }
        return new EngageProcess(name, List.copyOf(path), config);
    }

    /**
     * Every {@code ENGAGE_*} name maps to a configuration key by docs/configuration.md's rule ({@code ENGAGE_} + the
     * key in upper case, '.' and '-' as '_'): a key of {@link EngageConfig#DEFAULTS}, or one of the pass-through
     * families, whose Kafka names must be Kafka client or Streams settings and whose token roles must exist.
     */
    private void checkEngageVariables(Path file, Set<String> variables) {
        for (String variable : variables) {
            if (!variable.startsWith("ENGAGE_") || LAUNCHER_VARIABLES.contains(variable)) {
                continue;
            }
            String key = configurationKey(variable);
            if (key == null) {
                problem(file, variable + " maps to no configuration key (docs/configuration.md)");
            } else if (key.startsWith(EngageConfig.KAFKA_PREFIX) && !isKafkaSetting(key.substring(6))) {
                problem(
                        file,
                        variable + " passes '" + key.substring(6) + "' to Kafka, which is no Kafka client or"
                                + " Kafka Streams setting");
            } else if (key.startsWith("auth.token.")) {
                String role = key.substring("auth.token.".length());
                if (Stream.of(ApiTokens.Role.values()).noneMatch(r -> r.name().equals(role))) {
                    problem(file, variable + ": no API role '" + role + "'");
                }
            }
        }
    }

    static String configurationKey(String variable) {
        for (String key : EngageConfig.DEFAULTS.keySet()) {
            if (EngageConfig.envName(key).equals(variable)) {
                return key;
            }
        }
        String rest = variable.substring("ENGAGE_".length()).toLowerCase();
        for (String family : List.of("kafka_", "schema_registry_", "basic_auth_", "auth_token_")) {
            if (rest.startsWith(family) && rest.length() > family.length()) {
                return rest.replace('_', '.');
            }
        }
        return null;
    }

    private static boolean isKafkaSetting(String name) {
        for (String prefix : List.of(
                "main.consumer.", "restore.consumer.", "global.consumer.", "consumer.", "producer.", "admin.")) {
            if (name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                return ConsumerConfig.configNames().contains(rest)
                        || ProducerConfig.configNames().contains(rest)
                        || AdminClientConfig.configNames().contains(rest);
            }
        }
        return name.startsWith("topic.")
                || StreamsConfig.configDef().names().contains(name)
                || ConsumerConfig.configNames().contains(name)
                || ProducerConfig.configNames().contains(name)
                || AdminClientConfig.configNames().contains(name);
    }

    // ---- kubernetes ----

    /** An ingest or streams workload of deploy/k8s, which prometheus-kubernetes.yml scrapes. */
    private record ScrapedWorkload(Path file, JsonNode workload, EngageProcess process) {
        String name() {
            return workload.path("metadata").path("name").asText();
        }
    }

    private final List<ScrapedWorkload> scrapedWorkloads = new ArrayList<>();

    private void checkKubernetes() {
        Path dir = root.resolve("deploy/k8s");
        List<Path> files = filesIn(dir);
        if (files.isEmpty()) {
            problem(dir, "no manifests");
            return;
        }
        Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        List<Map.Entry<Path, JsonNode>> documents = new ArrayList<>();
        for (Path file : files) {
            for (JsonNode doc : yamlDocuments(file)) {
                documents.add(Map.entry(file, doc));
                String kind = doc.path("kind").asText();
                String name = doc.path("metadata").path("name").asText();
                if (kind.equals("ConfigMap")) {
                    configMaps.put(name, stringMap(doc.path("data")));
                    checkEngageVariables(file, doc.path("data").isObject() ? fieldNames(doc.path("data")) : Set.of());
                } else if (kind.equals("Secret")) {
                    secrets.put(name, stringMap(doc.path("stringData")));
                }
            }
        }
        Set<String> kinds = new HashSet<>();
        Map<String, String> headless = new LinkedHashMap<>();
        for (Map.Entry<Path, JsonNode> entry : documents) {
            JsonNode doc = entry.getValue();
            kinds.add(doc.path("kind").asText());
            if (doc.path("kind").asText().equals("Service")
                    && doc.path("spec").path("clusterIP").asText().equals("None")) {
                headless.put(
                        doc.path("metadata").path("name").asText(),
                        doc.path("metadata").path("namespace").asText());
            }
        }
        for (String kind : List.of(
                "Namespace",
                "ConfigMap",
                "Secret",
                "Deployment",
                "StatefulSet",
                "Service",
                "PodDisruptionBudget",
                "Job")) {
            if (!kinds.contains(kind)) {
                problem(dir, "no " + kind);
            }
        }
        Set<List<String>> commands = new HashSet<>();
        for (Map.Entry<Path, JsonNode> entry : documents) {
            Path file = entry.getKey();
            JsonNode doc = entry.getValue();
            String kind = doc.path("kind").asText();
            JsonNode pod = doc.path("spec").path("template");
            if (!List.of("Deployment", "StatefulSet", "Job").contains(kind)) {
                continue;
            }
            String workload = doc.path("metadata").path("name").asText();
            for (JsonNode container : pod.path("spec").path("containers")) {
                if (!ENGAGE_IMAGE.matcher(container.path("image").asText()).find()) {
                    continue;
                }
                Map<String, String> env = podEnvironment(file, workload, container, configMaps, secrets);
                EngageProcess process = engageProcess(file, workload, strings(container.path("args")), env);
                if (process == null) {
                    continue;
                }
                commands.add(process.command());
                topicPrefixes.add(process.config().topicPrefix());
                if (process.ingest() || process.streams()) {
                    checkPodPorts(file, workload, pod, container, process);
                    scrapedWorkloads.add(new ScrapedWorkload(file, doc, process));
                }
                if (process.streams()) {
                    checkStreamsIdentity(file, doc, container, process, headless);
                }
            }
        }
        for (List<String> required : List.of(List.of("ingest"), List.of("streams"), List.of("topics", "create"))) {
            if (!commands.contains(required)) {
                problem(dir, "no workload runs '" + String.join(" ", required) + "'");
            }
        }
    }

    /** The environment of a container as Kubernetes builds it: envFrom, then env in order with $(VAR) expanded. */
    private Map<String, String> podEnvironment(
            Path file,
            String workload,
            JsonNode container,
            Map<String, Map<String, String>> configMaps,
            Map<String, Map<String, String>> secrets) {
        Map<String, String> env = new LinkedHashMap<>(imageEnvironment());
        for (JsonNode from : container.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText();
            if (!configMaps.containsKey(name)) {
                problem(file, workload + ": envFrom ConfigMap '" + name + "' is not among the manifests");
            } else {
                env.putAll(configMaps.get(name));
            }
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode from = variable.path("valueFrom");
            String value;
            if (from.has("secretKeyRef")) {
                String secret = from.path("secretKeyRef").path("name").asText();
                String key = from.path("secretKeyRef").path("key").asText();
                value = secrets.getOrDefault(secret, Map.of()).get(key);
                if (value == null) {
                    problem(
                            file,
                            workload + ": " + name + " reads key '" + key + "' of Secret '" + secret
                                    + "', which the Secret template does not have");
                    continue;
                }
            } else if (from.path("fieldRef").path("fieldPath").asText().equals("metadata.name")) {
                value = workload + "-0";
            } else {
                value = variable.path("value").asText();
            }
            Matcher m = K8S_VARIABLE.matcher(value);
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                String earlier = env.get(m.group(1));
                if (earlier == null) {
                    problem(file, workload + ": " + name + " refers to $(" + m.group(1) + "), defined nowhere before");
                    earlier = m.group();
                }
                m.appendReplacement(expanded, Matcher.quoteReplacement(earlier));
            }
            m.appendTail(expanded);
            env.put(name, expanded.toString());
        }
        return env;
    }

    private void checkPodPorts(Path file, String workload, JsonNode pod, JsonNode container, EngageProcess process) {
        int port = process.port();
        Map<String, Integer> named = new LinkedHashMap<>();
        for (JsonNode p : container.path("ports")) {
            named.put(p.path("name").asText(), p.path("containerPort").asInt());
            if (p.path("containerPort").asInt() != port) {
                problem(
                        file,
                        workload + ": containerPort " + p.path("containerPort").asInt() + " is not the API's port "
                                + port);
            }
        }
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            String expectedPath = probe.equals("readinessProbe") ? "/health/ready" : "/health/live";
            if (!get.path("path").asText().equals(expectedPath)) {
                problem(file, workload + ": " + probe + " should ask " + expectedPath);
            }
            JsonNode p = get.path("port");
            int resolved = p.isInt() ? p.asInt() : named.getOrDefault(p.asText(), -1);
            if (resolved != port) {
                problem(file, workload + ": " + probe + " asks port " + p.asText() + ", not the API's port " + port);
            }
        }
        JsonNode annotations = pod.path("metadata").path("annotations");
        if (!annotations.path("prometheus.io/port").asText().equals(String.valueOf(port))) {
            problem(
                    file,
                    workload + ": prometheus.io/port '"
                            + annotations.path("prometheus.io/port").asText() + "' is not the API's port " + port);
        }
        if (!annotations.path("prometheus.io/path").asText("/metrics").equals("/metrics")) {
            problem(file, workload + ": prometheus.io/path is not /metrics");
        }
    }

    /** A StatefulSet's streams pods: instance.id from the pod name, advertised under the headless Service. */
    private void checkStreamsIdentity(
            Path file, JsonNode statefulSet, JsonNode container, EngageProcess process, Map<String, String> headless) {
        String workload = statefulSet.path("metadata").path("name").asText();
        if (!statefulSet.path("kind").asText().equals("StatefulSet")) {
            problem(
                    file,
                    workload + ": the streams process keeps RocksDB state and a stable instance.id: a"
                            + " StatefulSet");
            return;
        }
        String pod = workload + "-0";
        if (!pod.equals(process.config().get(EngageConfig.INSTANCE_ID))) {
            problem(file, workload + ": instance.id should be the pod's name ($(POD_NAME))");
        }
        String service = statefulSet.path("spec").path("serviceName").asText();
        String namespace = statefulSet.path("metadata").path("namespace").asText();
        if (!namespace.equals(headless.get(service))) {
            problem(file, workload + ": serviceName '" + service + "' is no headless Service in " + namespace);
        }
        String advertised = process.config().get(EngageConfig.QUERY_ADVERTISED_HOST);
        if (!advertised.startsWith(pod + "." + service + "." + namespace + ".svc")) {
            problem(
                    file,
                    workload + ": query.advertised.host '" + advertised + "' is not the pod's name under the"
                            + " headless Service (" + pod + "." + service + "." + namespace + ".svc)");
        }
        if (!"1".equals(process.config().get("kafka.num.standby.replicas"))) {
            problem(file, workload + ": no standby replica (ENGAGE_KAFKA_NUM_STANDBY_REPLICAS=1)");
        }
        if (statefulSet.path("spec").path("volumeClaimTemplates").isEmpty()) {
            problem(file, workload + ": no volumeClaimTemplates for the RocksDB state");
        }
        String dataDir = process.config().get(EngageConfig.DATA_DIR);
        boolean mounted = false;
        for (JsonNode mount : container.path("volumeMounts")) {
            mounted |= dataDir.equals(mount.path("mountPath").asText());
        }
        if (!mounted) {
            problem(file, workload + ": data.dir " + dataDir + " is not on a mounted volume");
        }
    }

    // ---- prometheus ----

    private void checkPrometheus() {
        Path rules = root.resolve("deploy/prometheus/alerts.yml");
        JsonNode documented = documentedAlertRules();
        JsonNode actual = yaml(rules);
        if (!actual.equals(documented)) {
            problem(rules, "differs from the alert rules of docs/operations.md, \"Alert rules to start from\"");
        }
        for (JsonNode group : actual.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                checkMetrics(rules, rule.path("expr").asText());
            }
        }
        Path config = root.resolve("deploy/prometheus/prometheus.yml");
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : yaml(config).path("scrape_configs")) {
            String name = job.path("job_name").asText();
            for (JsonNode staticConfig : job.path("static_configs")) {
                for (String target : strings(staticConfig.path("targets"))) {
                    String host = target.substring(0, target.lastIndexOf(':'));
                    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
                    EngageProcess process = composeProcesses.get(host);
                    if (process == null) {
                        problem(
                                config,
                                name + ": target " + target + " is no engage ingest or streams service of"
                                        + " deploy/compose/compose.yaml");
                        continue;
                    }
                    scraped.add(host);
                    if (process.port() != port) {
                        problem(
                                config,
                                name + ": target " + target + ", but " + host + " serves on port " + process.port());
                    }
                    String expectedJob = process.ingest() ? "engage-ingest" : "engage-streams";
                    if (!name.equals(expectedJob)) {
                        problem(
                                config,
                                "target " + target + " is scraped as job " + name + "; the alert rules" + " expect "
                                        + expectedJob);
                    }
                }
            }
        }
        for (String service : composeProcesses.keySet()) {
            if (!scraped.contains(service)) {
                problem(config, "compose service " + service + " is not scraped");
            }
        }
        checkPrometheusKubernetes();
    }

    /**
     * prometheus-kubernetes.yml keeps the annotated pods of the workloads' namespace and names the job after the pod's
     * {@code app.kubernetes.io/name}, so each ingest and streams workload's pods must carry the job name the alert
     * rules select on (as the static jobs of prometheus.yml do) and {@code prometheus.io/scrape: "true"}.
     */
    private void checkPrometheusKubernetes() {
        Path config = root.resolve("deploy/prometheus/prometheus-kubernetes.yml");
        if (!Files.exists(config)) {
            problem(config, "missing");
            return;
        }
        String podName = "__meta_kubernetes_pod_label_app_kubernetes_io_name";
        String scrapeAnnotation = "__meta_kubernetes_pod_annotation_prometheus_io_scrape";
        Set<String> namespaces = new HashSet<>();
        boolean allNamespaces = false;
        boolean podJobs = false;
        for (JsonNode job : yaml(config).path("scrape_configs")) {
            String name = job.path("job_name").asText();
            List<JsonNode> pods = new ArrayList<>();
            job.path("kubernetes_sd_configs").forEach(sd -> {
                if (sd.path("role").asText().equals("pod")) {
                    pods.add(sd);
                }
            });
            if (pods.isEmpty()) {
                continue;
            }
            podJobs = true;
            boolean jobFromName = false;
            boolean keepsAnnotated = false;
            for (JsonNode r : job.path("relabel_configs")) {
                List<String> sources = strings(r.path("source_labels"));
                String action = r.path("action").asText("replace");
                jobFromName |= action.equals("replace")
                        && r.path("target_label").asText().equals("job")
                        && sources.equals(List.of(podName))
                        && !r.has("replacement")
                        && !r.has("regex");
                keepsAnnotated |= action.equals("keep")
                        && sources.equals(List.of(scrapeAnnotation))
                        && r.path("regex").asText().equals("true");
            }
            if (!jobFromName) {
                problem(
                        config,
                        name + ": the job label is not the pod's app.kubernetes.io/name, the job names the alert"
                                + " rules select on");
            }
            if (!keepsAnnotated) {
                problem(config, name + ": does not keep only the pods annotated prometheus.io/scrape: \"true\"");
            }
            for (JsonNode sd : pods) {
                List<String> names = strings(sd.path("namespaces").path("names"));
                allNamespaces |= names.isEmpty();
                namespaces.addAll(names);
            }
        }
        if (!podJobs) {
            problem(config, "no scrape configuration discovers pods (kubernetes_sd_configs, role pod)");
            return;
        }
        for (ScrapedWorkload w : scrapedWorkloads) {
            JsonNode metadata = w.workload().path("spec").path("template").path("metadata");
            String job = metadata.path("labels").path("app.kubernetes.io/name").asText();
            String expectedJob = w.process().ingest() ? "engage-ingest" : "engage-streams";
            if (!job.equals(expectedJob)) {
                problem(
                        w.file(),
                        w.name() + ": its pods are scraped as job '" + job + "' (app.kubernetes.io/name); the alert"
                                + " rules expect " + expectedJob);
            }
            if (!metadata.path("annotations")
                    .path("prometheus.io/scrape")
                    .asText()
                    .equals("true")) {
                problem(w.file(), w.name() + ": prometheus.io/scrape is not \"true\": its pods are not scraped");
            }
            String namespace = w.workload().path("metadata").path("namespace").asText();
            if (!allNamespaces && !namespaces.contains(namespace)) {
                problem(config, "namespace " + namespace + " of " + w.name() + " is not among those discovered");
            }
        }
    }

    private JsonNode documentedAlertRules() {
        String doc = read(root.resolve("docs/operations.md"));
        int section = doc.indexOf("## Alert rules to start from");
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        if (section < 0 || !m.find(section)) {
            problem(root.resolve("docs/operations.md"), "no \"Alert rules to start from\" YAML block");
            return JSON.createObjectNode();
        }
        try {
            return YAML.readTree(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- grafana ----

    private void checkGrafana() {
        for (Path file : filesIn(root.resolve("deploy/grafana/dashboards"))) {
            JsonNode dashboard;
            try {
                dashboard = JSON.readTree(file.toFile());
            } catch (IOException e) {
                problem(file, "not JSON: " + e.getMessage());
                continue;
            }
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            });
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    String type = target.path("datasource").path("type").asText("prometheus");
                    if (!type.equals("prometheus")) {
                        problem(file, "panel '" + panel.path("title").asText() + "' queries a " + type + " datasource");
                    }
                    checkMetrics(file, target.path("expr").asText());
                }
            }
        }
    }

    // ---- metrics ----

    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "count_values",
            "group",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "histogram_quantile",
            "abs",
            "ceil",
            "floor",
            "round",
            "clamp_min",
            "clamp_max",
            "vector",
            "scalar",
            "time",
            "label_replace",
            "label_join",
            "absent",
            "changes",
            "resets",
            "sort",
            "sort_desc",
            "sum_over_time",
            "avg_over_time",
            "max_over_time",
            "min_over_time",
            "last_over_time",
            "predict_linear");

    private Set<String> documentedMetrics;
    private Set<String> codeMetrics;

    /** Metric names in a PromQL expression: identifiers left after strings, label sets, ranges and groupings. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word) && !word.equals("le") && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    private void checkMetrics(Path file, String expr) {
        if (documentedMetrics == null) {
            documentedMetrics = documentedMetrics();
            codeMetrics = codeMetrics();
        }
        for (String name : metricNames(expr)) {
            if (!documentedMetrics.contains(name)) {
                problem(file, "metric '" + name + "' is not in docs/operations.md's tables");
            } else if (name.startsWith("engage_")
                    && codeMetrics.stream().noneMatch(c -> isSampleOf(name, c))
                    && !UNCHECKED_ENGAGE_METRICS.contains(name)) {
                problem(file, "metric '" + name + "' is documented but no meter of the code has that name");
            }
        }
    }

    /**
     * The sample suffixes Prometheus puts after a meter's name (a counter's {@code _total}, a timer's or summary's
     * {@code _count}, {@code _sum}, {@code _max}, {@code _bucket}, a timer's base unit {@code _seconds}, OpenMetrics'
     * {@code _created}).
     */
    private static final List<String> SAMPLE_SUFFIXES = List.of(
            "_total",
            "_created",
            "_count",
            "_sum",
            "_max",
            "_bucket",
            "_seconds",
            "_seconds_count",
            "_seconds_sum",
            "_seconds_max",
            "_seconds_bucket");

    /**
     * Whether {@code name} is a sample of the meter rendered as {@code meter}: the name itself or the name with one of
     * {@link #SAMPLE_SUFFIXES}, not any longer name that starts with it ({@code engage_donation_budget_spent} is not a
     * sample of {@code engage_donation_budget}).
     */
    static boolean isSampleOf(String name, String meter) {
        return name.equals(meter) || SAMPLE_SUFFIXES.stream().anyMatch(s -> name.equals(meter + s));
    }

    /** engage metrics whose names the code spells inline rather than in a constant. */
    private static final Set<String> UNCHECKED_ENGAGE_METRICS = Set.of(
            "engage_ingest_readings_total",
            "engage_ingest_commit_seconds",
            "engage_ingest_commit_requests",
            "engage_ingest_queue_wait_seconds",
            "engage_ingest_transaction_seconds",
            "engage_ingest_transaction_requests");

    /**
     * The metric names of docs/operations.md's tables: every backticked name of a process family (engage_, http_,
     * kafka_, jvm_, process_, system_) without a wildcard, with the sample suffixes a row lists (`_count`, ...).
     */
    private Set<String> documentedMetrics() {
        Set<String> out = new TreeSet<>();
        Pattern backticked = Pattern.compile("`([^`]+)`");
        for (String line : read(root.resolve("docs/operations.md")).split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            Matcher m = backticked.matcher(line);
            String first = null;
            List<String> suffixes = new ArrayList<>();
            while (m.find()) {
                String token = m.group(1);
                if (token.matches("(engage|http|kafka|jvm|process|system)_[a-z0-9_]+")) {
                    out.add(token);
                    first = first == null ? token : first;
                } else if (token.matches("_[a-z]+")) {
                    suffixes.add(token);
                }
            }
            if (first != null) {
                for (String suffix : suffixes) {
                    out.add(first + suffix);
                }
            }
        }
        return out;
    }

    /** Prometheus names of the engage meters whose names the code holds in constants, as the registry renders them. */
    private static Set<String> codeMetrics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String[]> counters = List.of(
                new String[] {"io.engage.ingest.normalize.NormalizeReadingsProcessor", "METRIC"},
                new String[] {"io.engage.streams.EngagementProcessor", "GOALS_METRIC"},
                new String[] {"io.engage.streams.EngagementProcessor", "POINTS_METRIC"},
                new String[] {"io.engage.streams.philanthropy.DonationLedgerProcessor", "METRIC"},
                new String[] {"io.engage.streams.Coaching", "METRIC"},
                new String[] {"io.engage.streams.Cheers", "METRIC"});
        for (String[] c : counters) {
            Counter.builder(constant(c[0], c[1])).register(registry).increment();
        }
        for (String gauge : List.of("BUDGET", "REMAINING")) {
            Gauge.builder(constant("io.engage.streams.philanthropy.DonationBudgetGauges", gauge), () -> 1)
                    .register(registry);
        }
        Set<String> out = new TreeSet<>();
        for (String line : registry.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        registry.close();
        return out;
    }

    private static String constant(String className, String field) {
        try {
            Field f = Class.forName(className).getDeclaredField(field);
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("metric constant " + className + "." + field + " is gone", e);
        }
    }

    // ---- docker ----

    private void checkDockerfile() {
        Path file = root.resolve("deploy/docker/Dockerfile");
        String text = read(file);
        if (!Files.exists(root.resolve("engage"))) {
            problem(file, "the launcher ./engage is missing");
        }
        if (!text.contains("COPY --chmod=0755 engage ./engage")
                || !text.contains("ENTRYPOINT [\"/opt/engage/engage\"]")) {
            problem(file, "the image should run the ./engage launcher as its entry point");
        }
        if (!text.contains("deploy/cli/target/engage-cli.jar") || !text.contains("deploy/cli/target/lib/")) {
            problem(file, "the image should hold the jar and lib/ the launcher runs (deploy/cli/target)");
        }
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.*)$").matcher(text);
        Set<String> exposed = expose.find() ? Set.of(expose.group(1).trim().split("\\s+")) : Set.of();
        for (String key : List.of(EngageConfig.INGEST_PORT, EngageConfig.QUERY_PORT)) {
            if (!exposed.contains(EngageConfig.DEFAULTS.get(key))) {
                problem(file, "EXPOSE lacks " + key + "'s default " + EngageConfig.DEFAULTS.get(key));
            }
        }
        String dataDir = "ENGAGE_DATA_DIR=";
        int at = text.indexOf(dataDir);
        if (at < 0) {
            problem(file, "no ENGAGE_DATA_DIR: the state directory should be the image's volume");
        } else {
            String dir = text.substring(at + dataDir.length()).split("\\s", 2)[0];
            if (!text.contains("VOLUME [\"" + dir + "\"]")) {
                problem(file, "data.dir " + dir + " is not a VOLUME");
            }
        }
        Matcher variables = ENGAGE_VARIABLE.matcher(text + read(root.resolve("deploy/docker/healthcheck.sh")));
        Set<String> names = new TreeSet<>();
        while (variables.find()) {
            names.add(variables.group());
        }
        checkEngageVariables(file, names);
    }

    // ---- helpers ----

    private List<Path> deploymentFiles() {
        List<Path> out = new ArrayList<>();
        for (String dir :
                List.of("deploy/compose", "deploy/k8s", "deploy/prometheus", "deploy/grafana", "deploy/docker")) {
            out.addAll(filesIn(root.resolve(dir)));
        }
        return out;
    }

    private static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> dotEnv(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                out.put(
                        l.substring(0, l.indexOf('=')).trim(),
                        l.substring(l.indexOf('=') + 1).trim());
            }
        }
        return out;
    }

    private String interpolate(JsonNode value, Map<String, String> dotEnv) {
        Matcher m = COMPOSE_VARIABLE.matcher(value.asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(dotEnv.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    private static List<JsonNode> yamlDocuments(Path file) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void problem(Path file, String message) {
        String problem = root.relativize(file.toAbsolutePath().normalize()) + ": " + message;
        if (!problems.contains(problem)) { // two checks may find one name
            problems.add(problem);
        }
    }
}
