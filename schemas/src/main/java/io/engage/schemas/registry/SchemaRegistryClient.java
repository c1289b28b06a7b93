package io.engage.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API that engage uses: register, look up, get by id,
 * versions, compatibility and configuration. Implementations cache what never changes (ids and schemas).
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Finds an already registered schema in {@code subject}; 40401/40403 as {@link SchemaRegistryException}. */
    SchemaMetadata lookup(String subject, Schema schema);

    /** The schema with global id {@code id}; 40403 as {@link SchemaRegistryException}. */
    Schema getById(int id);

    /** The latest (non-deleted) version of {@code subject}. */
    SchemaMetadata latest(String subject);

    /** One version of {@code subject}. */
    SchemaMetadata version(String subject, int version);

    /** The versions of {@code subject}, oldest first. */
    List<Integer> versions(String subject);

    /** All subjects. */
    List<String> subjects();

    /** Whether {@code schema} is compatible with {@code subject}'s latest version under the subject's level. */
    boolean isCompatible(String subject, Schema schema);

    /** The compatibility level of {@code subject}, or the global level when {@code subject} is null. */
    String compatibility(String subject);

    /** Sets the compatibility level of {@code subject}, or the global level when {@code subject} is null. */
    void setCompatibility(String subject, String level);

    /** Deletes a subject (soft, or permanent after a soft delete) and returns the versions deleted. */
    List<Integer> deleteSubject(String subject, boolean permanent);

    @Override
    default void close() {}
}
