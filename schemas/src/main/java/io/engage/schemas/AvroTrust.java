package io.engage.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 only instantiates classes it trusts when resolving schemas (enum defaults, specific readers).
 * engage's generated classes live in {@code io.engage.avro}; this adds that package to the trusted set once,
 * keeping whatever the JVM already trusts (including {@code org.apache.avro.SERIALIZABLE_PACKAGES}).
 *
 * <p>It also sets Avro's read limits ({@link #READ_LIMITS}) unless the JVM was started with them: Avro reads them once,
 * when it first checks a length, and its own defaults let a few bytes that declare a 2 GiB string allocate it. Every
 * serde calls {@link #install} before it decodes anything (docs/ingest.md, "Hostile input").
 */
public final class AvroTrust {
    /** The package of the generated record classes. */
    public static final String GENERATED_PACKAGE = "io.engage.avro.";

    /**
     * Avro's read limits: the longest string and bytes value (1 MiB, more than any engage record holds; a Kafka record
     * is at most 1 MiB by default) and the most items in an array or map.
     */
    public static final java.util.Map<String, String> READ_LIMITS = java.util.Map.of(
            "org.apache.avro.limits.string.maxLength", "1048576",
            "org.apache.avro.limits.bytes.maxLength", "1048576",
            "org.apache.avro.limits.collectionItems.maxLength", "100000");

    private static volatile boolean installed;

    private AvroTrust() {}

    /** Trusts the generated classes; idempotent and cheap after the first call. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                READ_LIMITS.forEach((k, v) -> {
                    if (System.getProperty(k) == null) {
                        System.setProperty(k, v);
                    }
                });
                ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                        current, c -> c.getName().startsWith(GENERATED_PACKAGE)));
                installed = true;
            }
        }
    }
}
