package io.engage.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.processing.ReferenceReadiness.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The readiness check waits for every view, asks each only for the kinds it keeps, and names what is missing. */
class ReferenceReadinessTest {

    /** A view over a set of ids that can grow while the check runs. */
    private static final class FakeView implements ReferenceReadiness.View {
        private final String name;
        private final Set<Kind> kinds;
        final Set<String> present = ConcurrentHashMap.newKeySet();
        final List<Kind> asked = new ArrayList<>();

        FakeView(String name, Set<Kind> kinds) {
            this.name = name;
            this.kinds = kinds;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<Kind> kinds() {
            return kinds;
        }

        @Override
        public synchronized int leadingPresent(Kind kind, List<String> ids) {
            asked.add(kind);
            int n = 0;
            while (n < ids.size() && present.contains(kind + ":" + ids.get(n))) {
                n++;
            }
            return n;
        }
    }

    @Test
    void returnsOnceEveryViewHoldsEveryIdItKeeps() throws Exception {
        FakeView normaliser = new FakeView("normaliser", Set.of(Kind.DEVICE, Kind.PARTICIPANT));
        FakeView engagement = new FakeView("engagement", Set.of(Kind.PARTICIPANT, Kind.PROGRAM));
        Map<Kind, List<String>> wanted = ReferenceReadiness.wanted();
        wanted.put(Kind.DEVICE, List.of("d-1", "d-2"));
        wanted.put(Kind.PARTICIPANT, List.of("p-1"));
        wanted.put(Kind.PROGRAM, List.of("prog"));
        normaliser.present.addAll(List.of("DEVICE:d-1", "DEVICE:d-2", "PARTICIPANT:p-1"));
        engagement.present.add("PROGRAM:prog");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            engagement.present.add("PARTICIPANT:p-1");
        });
        later.start();
        List<String> progress = new ArrayList<>();

        ReferenceReadiness.await(wanted, List.of(normaliser, engagement), Duration.ofSeconds(10), progress::add);

        later.join();
        assertThat(engagement.present).contains("PARTICIPANT:p-1");
        assertThat(engagement.asked).as("only the kinds it keeps").doesNotContain(Kind.DEVICE, Kind.TEAM);
        assertThat(normaliser.asked).doesNotContain(Kind.PROGRAM, Kind.TEAM);
    }

    @Test
    void failsAfterTheTimeoutNamingTheViewTheKindAndTheFirstMissingId() {
        FakeView normaliser = new FakeView("normaliser", Set.of(Kind.DEVICE));
        normaliser.present.add("DEVICE:d-1");
        Map<Kind, List<String>> wanted = ReferenceReadiness.wanted();
        wanted.put(Kind.DEVICE, List.of("d-1", "d-2", "d-3"));

        assertThatThrownBy(() ->
                        ReferenceReadiness.await(wanted, List.of(normaliser), Duration.ofMillis(300), message -> {}))
                .isInstanceOf(ReferenceReadiness.NotReadyException.class)
                .hasMessageContaining("normaliser: 1 of 3 devices (first missing 'd-2')");
    }
}
