package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.config.EngageConfig;
import io.engage.ingest.IngestProcess;
import io.engage.simulator.Simulator;
import io.engage.streams.StreamsProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production artifacts (schemas, ingest, streams) carry no simulator class: the simulator is a module of its own
 * (deploy/simulator, docs/simulator.md) that only the command line and the tests use.
 */
class ProductionJarsTest {

    @Test
    void theProductionArtifactsHoldNoSimulatorClass() throws Exception {
        for (Class<?> anchor : List.of(EngageConfig.class, IngestProcess.class, StreamsProcess.class)) {
            List<String> classes = classesIn(Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI()));
            assertThat(classes)
                    .as("classes of %s's artifact", anchor.getSimpleName())
                    .isNotEmpty();
            assertThat(classes)
                    .as("%s's artifact", anchor.getSimpleName())
                    .noneMatch(name -> name.startsWith("io/engage/simulator/") || name.contains("simulator/"));
        }
        assertThat(classesIn(Path.of(Simulator.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())))
                .as("the check looks where the simulator is")
                .anyMatch(name -> name.startsWith("io/engage/simulator/"));
    }

    /** The class entries of a jar or a classes directory, as paths with '/'. */
    private static List<String> classesIn(Path location) throws IOException, URISyntaxException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(p -> p.toString().endsWith(".class"))
                        .forEach(p -> out.add(location.relativize(p).toString().replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.endsWith(".class"))
                        .forEach(out::add);
            }
        }
        return out;
    }
}
