package io.engage.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The local stack's data directory ({@code data.dir}). A marker file identifies it as ours, so
 * {@code --fresh} never wipes a directory engage did not create.
 */
final class DataDirectory {
    static final String MARKER = ".engage-data";

    private DataDirectory() {}

    /** Creates the directory (wiping it first when {@code fresh}) and returns its absolute path. */
    static Path prepare(Path dir, boolean fresh) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (fresh && Files.exists(abs)) {
                if (!Files.exists(abs.resolve(MARKER)) && !isEmpty(abs)) {
                    throw new UserException("refusing to wipe " + abs
                            + " with --fresh: it is not an engage data directory (no " + MARKER + " file)");
                }
                deleteRecursively(abs);
            }
            if (!Files.isDirectory(abs)) {
                // Kafka logs hold health data, and the directory holds tokens.json: owner-only from the start
                try {
                    Files.createDirectories(
                            abs,
                            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(abs);
                }
            }
            Path marker = abs.resolve(MARKER);
            if (!Files.exists(marker)) {
                if (!isEmpty(abs)) {
                    throw new UserException(
                            abs + " is not empty and not an engage data directory; choose another --data-dir");
                }
                Files.writeString(
                        marker,
                        "engage data directory: Kafka logs and local state. Delete with ./engage local --fresh\n");
            }
            return abs;
        } catch (IOException e) {
            throw new UserException("cannot prepare data directory " + abs + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
