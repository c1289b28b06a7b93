package io.engage.schemas.registry;

import org.apache.avro.Schema;

/** A registered schema: its subject, version within the subject and global id. */
public record SchemaMetadata(String subject, int version, int id, Schema schema) {}
