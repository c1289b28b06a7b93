package io.engage.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/topics.md embeds the catalogue table between two marker lines; this keeps them equal. Regenerate with
 * {@code mvn -B -pl schemas test -Dtest=TopicsDocTest -Dengage.docs.write=true}.
 */
class TopicsDocTest {
    static final Path DOC = Path.of("../docs/topics.md");
    static final String START = "<!-- catalogue:start -->";
    static final String END = "<!-- catalogue:end -->";
    static final String WRITE_PROPERTY = "engage.docs.write";

    @Test
    void docsTopicsMdShowsTheCatalogue() throws IOException {
        assertThat(DOC).as("docs/topics.md next to the schemas module").exists();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(START + "\n");
        int end = doc.indexOf("\n" + END);
        assertThat(start).as("marker line " + START).isNotNegative();
        assertThat(end).as("marker line " + END).isGreaterThan(start);

        String embedded = doc.substring(start + START.length() + 1, end + 1);
        String expected = TopicCatalogue.unprefixed().markdownTable();
        if (embedded.equals(expected)) {
            return;
        }
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(
                    DOC,
                    doc.substring(0, start + START.length() + 1) + expected + doc.substring(end + 1),
                    StandardCharsets.UTF_8);
            return;
        }
        fail("docs/topics.md is out of date with the topic catalogue (io.engage.schemas.topics.Topics).\n"
                + "Regenerate it with: mvn -B -pl schemas test -Dtest=TopicsDocTest -D" + WRITE_PROPERTY + "=true\n"
                + "or paste the output of TopicCatalogue.unprefixed().markdownTable() between the lines " + START
                + " and " + END + ":\n\n" + expected);
    }
}
