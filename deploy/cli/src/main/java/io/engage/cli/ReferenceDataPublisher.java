package io.engage.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Device;
import io.engage.avro.Participant;
import io.engage.avro.Program;
import io.engage.avro.Team;
import io.engage.processing.ReferenceReadiness;
import io.engage.schemas.AvroJson;
import io.engage.simulator.Population;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets up a simulated population through the admin API, exactly as an operator would: the programme, its teams,
 * the participants (with consent and preferences) and their device pairings.
 */
final class ReferenceDataPublisher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String adminToken;

    ReferenceDataPublisher(String baseUrl, String adminToken) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.adminToken = adminToken;
    }

    /** The ids {@link #publish(Population, Program)} puts, for {@link ReferenceReadiness#await}. */
    static Map<ReferenceReadiness.Kind, List<String>> ids(Population population, Program program) {
        Map<ReferenceReadiness.Kind, List<String>> ids = ReferenceReadiness.wanted();
        ids.put(ReferenceReadiness.Kind.PROGRAM, List.of(program.getProgramId()));
        ids.put(
                ReferenceReadiness.Kind.TEAM,
                population.teams().stream().map(Team::getTeamId).toList());
        ids.put(
                ReferenceReadiness.Kind.PARTICIPANT,
                population.participants().stream()
                        .map(Participant::getParticipantId)
                        .toList());
        ids.put(
                ReferenceReadiness.Kind.DEVICE,
                population.devices().stream().map(Device::getDeviceId).toList());
        return ids;
    }

    /** PUTs every record; returns how many. */
    int publish(Population population) {
        return publish(population, population.program());
    }

    /** PUTs every record, with {@code program} instead of the population's; returns how many. */
    int publish(Population population, Program program) {
        int n = 0;
        putProgram(program);
        n++;
        for (Team t : population.teams()) {
            put("/v1/teams/" + t.getTeamId(), body(AvroJson.toMap(t), List.of("teamId", "updatedAt")));
            n++;
        }
        for (Participant x : population.participants()) {
            put(
                    "/v1/participants/" + x.getParticipantId(),
                    body(AvroJson.toMap(x), List.of("participantId", "updatedAt")));
            n++;
        }
        for (Device d : population.devices()) {
            put("/v1/devices/" + d.getDeviceId(), body(AvroJson.toMap(d), List.of("deviceId", "pairedAt")));
            n++;
        }
        return n;
    }

    /** PUTs a programme record (a new one replaces the whole record, budget included). */
    void putProgram(Program p) {
        put("/v1/programs/" + p.getProgramId(), body(AvroJson.toMap(p), List.of("programId", "updatedAt")));
    }

    /**
     * PUTs every record with up to {@code concurrency} requests in flight: the programme and teams first, then the
     * participants, then the devices (each group complete before the next starts, as {@link #publish(Population)}
     * orders them). Returns how many.
     */
    int publish(Population population, int concurrency) {
        putProgram(population.program());
        int n = 1;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, concurrency));
        try {
            n += all(
                    pool,
                    population.teams().stream()
                            .map(t -> (Runnable) () -> put(
                                    "/v1/teams/" + t.getTeamId(),
                                    body(AvroJson.toMap(t), List.of("teamId", "updatedAt"))))
                            .toList());
            n += all(
                    pool,
                    population.participants().stream()
                            .map(x -> (Runnable) () -> put(
                                    "/v1/participants/" + x.getParticipantId(),
                                    body(AvroJson.toMap(x), List.of("participantId", "updatedAt"))))
                            .toList());
            n += all(
                    pool,
                    population.devices().stream()
                            .map(d -> (Runnable) () -> put(
                                    "/v1/devices/" + d.getDeviceId(),
                                    body(AvroJson.toMap(d), List.of("deviceId", "pairedAt"))))
                            .toList());
        } finally {
            pool.shutdownNow();
        }
        return n;
    }

    private static int all(java.util.concurrent.ExecutorService pool, List<Runnable> puts) {
        List<java.util.concurrent.Future<?>> futures =
                puts.stream().<java.util.concurrent.Future<?>>map(pool::submit).toList();
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new UserException("admin API: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("interrupted", e);
            }
        }
        return puts.size();
    }

    /** The admin body of a record: its fields without the id, timestamps and nulls. */
    private static Map<String, Object> body(Map<String, Object> record, List<String> drop) {
        Map<String, Object> out = new LinkedHashMap<>();
        record.forEach((k, v) -> {
            if (v != null && !drop.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void put(String path, Map<String, Object> body) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + adminToken)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new UserException("admin API refused PUT " + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new UserException("admin API at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted", e);
        }
    }
}
