package io.engage.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/** How much state the engagement application keeps: on disk, in its changelog topics, per participant-day. */
final class StateSize {
    private StateSize() {}

    /**
     * Bytes of the files under {@code dir}: RocksDB's SST, MANIFEST and OPTIONS files and Kafka Streams' checkpoints;
     * RocksDB's own text logs ({@code LOG}, {@code LOG.old.*}) are not state and are left out.
     */
    static long directoryBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("LOG"))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // a file RocksDB removed meanwhile
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }

    /** Bytes on the brokers' disks of the topics whose names start with {@code prefix} and end with {@code -changelog}. */
    static long changelogBytes(Admin admin, String prefix) {
        try {
            List<Integer> brokers = new ArrayList<>();
            for (Node n : admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)) {
                brokers.add(n.id());
            }
            long sum = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers)
                    .allDescriptions()
                    .get(10, TimeUnit.SECONDS)
                    .values()) {
                for (LogDirDescription d : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e :
                            d.replicaInfos().entrySet()) {
                        String topic = e.getKey().topic();
                        if (topic.startsWith(prefix) && topic.endsWith("-changelog")) {
                            sum += e.getValue().size();
                        }
                    }
                }
            }
            return sum;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (Exception e) {
            throw new BenchException("cannot describe the log directories: " + e, e);
        }
    }
}
