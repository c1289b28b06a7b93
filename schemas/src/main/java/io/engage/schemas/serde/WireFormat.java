package io.engage.schemas.serde;

/** The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then Avro binary. */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {}
}
