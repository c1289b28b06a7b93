package io.engage.config;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

/**
 * RocksDB settings of every engage store: LZ4 block compression. Kafka Streams leaves RocksDB uncompressed; engage's
 * keys share long prefixes (participant id, then time) and its values are small, so compression roughly halves the
 * state on disk for little CPU (docs/benchmarks.md).
 */
public final class CompressedRocksDb implements RocksDBConfigSetter {
    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing was allocated
    }
}
