package io.engage.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 only instantiates classes it trusts when resolving schemas (enum defaults, specific readers).
 * engage's generated classes live in {@code io.engage.avro}; this adds that package to the trusted set once,
 * keeping whatever the JVM already trusts (including {@code org.apache.avro.SERIALIZABLE_PACKAGES}).
 */
public final class AvroTrust {
    /** The package of the generated record classes. */
    public static final String GENERATED_PACKAGE = "io.engage.avro.";

    private static volatile boolean installed;

    private AvroTrust() {}

    /** Trusts the generated classes; idempotent and cheap after the first call. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                        current, c -> c.getName().startsWith(GENERATED_PACKAGE)));
                installed = true;
            }
        }
    }
}
