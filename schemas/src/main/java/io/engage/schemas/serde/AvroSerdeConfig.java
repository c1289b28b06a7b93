package io.engage.schemas.serde;

import java.util.Map;

/** Serde settings, under the keys Confluent's Avro serdes use. */
public record AvroSerdeConfig(
        boolean autoRegister,
        boolean useLatestVersion,
        boolean specificReader,
        SubjectNameStrategy keyStrategy,
        SubjectNameStrategy valueStrategy) {

    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** {@code specific.avro.reader}: decode into the generated (typed) classes rather than generic records. */
    public static final String TYPED_READER = "specific.avro.reader";

    /** Reads the settings; defaults: auto-register on, latest-version off, specific reader on, TopicNameStrategy. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        return new AvroSerdeConfig(
                bool(configs, AUTO_REGISTER, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, TYPED_READER, true),
                SubjectNameStrategy.parse(configs.get(SubjectNameStrategy.KEY_STRATEGY)),
                SubjectNameStrategy.parse(configs.get(SubjectNameStrategy.VALUE_STRATEGY)));
    }

    /** The strategy for keys or values. */
    public SubjectNameStrategy strategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
    }
}
