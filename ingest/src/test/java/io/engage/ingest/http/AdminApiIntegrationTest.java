package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Beneficiary;
import io.engage.avro.Channel;
import io.engage.avro.Cheer;
import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.NudgeType;
import io.engage.avro.Participant;
import io.engage.avro.Program;
import io.engage.avro.Team;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API through HTTP: what lands on the compacted topics, and 400s that name the field. */
@Tag("integration")
class AdminApiIntegrationTest {
    @TempDir
    static Path dir;

    static IngestStack stack;

    @BeforeAll
    static void start() {
        stack = new IngestStack(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static <V> V last(TopicSpec<String, V> spec, String key) {
        List<ConsumerRecord<String, V>> all = stack.read(spec, 1, Duration.ofSeconds(10)).stream()
                .filter(r -> r.key().equals(key))
                .toList();
        assertThat(all).as("records for %s on %s", key, spec.baseName()).isNotEmpty();
        return all.get(all.size() - 1).value();
    }

    @Test
    void aProgrammeIsPublishedWithDefaultsForWhatIsLeftOut() throws Exception {
        HttpResponse<String> r = stack.put(
                "/v1/programs/prog-a",
                "{\"name\":\"Study\",\"stepGoal\":8000,\"donationBudget\":3,"
                        + "\"promptTimes\":[\"15:00\",\"10:00\"],\"activeHours\":{\"start\":\"08:30\",\"end\":\"19:00\"},"
                        + "\"points\":{\"stepGoalDay\":12,\"milestones\":{\"3\":6}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(IngestStack.json(r).get("stepGoal").asInt()).isEqualTo(8000);
        assertThat(IngestStack.json(r).get("promptTimes").toString()).isEqualTo("[\"10:00\",\"15:00\"]");

        Program p = last(Topics.PROGRAMS, "prog-a");
        assertThat(p.getStepGoal()).isEqualTo(8000);
        assertThat(p.getActiveMinutesGoal()).isEqualTo(30);
        assertThat(p.getPointsPerDonation()).isEqualTo(100);
        assertThat(p.getDonationBudget()).isEqualTo(3);
        assertThat(p.getDefaultBeneficiary()).isEqualTo(Beneficiary.children);
        assertThat(p.getPromptTimes()).containsExactly(LocalTime.of(10, 0), LocalTime.of(15, 0));
        assertThat(p.getActiveHours().getStart()).isEqualTo(LocalTime.of(8, 30));
        assertThat(p.getPoints().getStepGoalDay()).isEqualTo(12);
        assertThat(p.getPoints().getMilestones()).containsEntry("3", 6);
    }

    @Test
    void aParticipantWithPreferencesIsPublished() throws Exception {
        HttpResponse<String> r = stack.put(
                "/v1/participants/p-42",
                "{\"programId\":\"prog-a\",\"teamId\":\"t-1\","
                        + "\"timezone\":\"Asia/Kathmandu\",\"consent\":true,\"stepGoal\":9000,\"beneficiary\":\"veterans\","
                        + "\"preferences\":{\"coaching\":true,\"optOut\":[\"INACTIVITY\"],\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\"},"
                        + "\"maxNudgesPerDay\":2,\"channel\":\"sms\",\"leaderboardVisible\":false,\"socialEnabled\":true,"
                        + "\"pausedDates\":[\"2026-11-20\"]}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Participant p = last(Topics.PARTICIPANTS, "p-42");
        assertThat(p.getTimezone()).isEqualTo("Asia/Kathmandu");
        assertThat(p.getConsent()).isTrue();
        assertThat(p.getStepGoal()).isEqualTo(9000);
        assertThat(p.getPreferences().getOptOut()).containsExactly(NudgeType.INACTIVITY);
        assertThat(p.getPreferences().getQuietHours().getStart()).isEqualTo(LocalTime.of(22, 0));
        assertThat(p.getPreferences().getChannel()).isEqualTo(Channel.sms);
        assertThat(p.getPreferences().getLeaderboardVisible()).isFalse();
        assertThat(p.getPreferences().getPausedDates()).containsExactly(LocalDate.of(2026, 11, 20));
    }

    @Test
    void erasureIsATombstoneOnParticipants() throws Exception {
        assertThat(stack.put("/v1/participants/p-gone", "{\"programId\":\"prog-a\",\"consent\":true}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> r = stack.send("DELETE", "/v1/participants/p-gone", IngestStack.ADMIN, null, null);
        assertThat(r.statusCode()).isEqualTo(202);
        List<ConsumerRecord<String, Participant>> records =
                stack.read(Topics.PARTICIPANTS, 2, Duration.ofSeconds(10)).stream()
                        .filter(x -> x.key().equals("p-gone"))
                        .toList();
        assertThat(records.get(records.size() - 1).value()).isNull();
    }

    @Test
    void devicesPairAndUnpair() throws Exception {
        assertThat(stack.put("/v1/devices/gls-9", "{\"participantId\":\"p-42\",\"type\":\"glasses\"}")
                        .statusCode())
                .isEqualTo(200);
        Device d = last(Topics.DEVICES, "gls-9");
        assertThat(d.getParticipantId()).isEqualTo("p-42");
        assertThat(d.getType()).isEqualTo(DeviceType.glasses);
        assertThat(stack.send("DELETE", "/v1/devices/gls-9", IngestStack.ADMIN, null, null)
                        .statusCode())
                .isEqualTo(200);
        List<ConsumerRecord<String, Device>> records = stack.read(Topics.DEVICES, 2, Duration.ofSeconds(10)).stream()
                .filter(x -> x.key().equals("gls-9"))
                .toList();
        assertThat(records.get(records.size() - 1).value()).isNull();
    }

    @Test
    void teamsAndCheers() throws Exception {
        assertThat(stack.put(
                                "/v1/teams/t-1",
                                "{\"programId\":\"prog-a\",\"name\":\"Walkers\",\"beneficiary\":\"seniors\"}")
                        .statusCode())
                .isEqualTo(200);
        Team t = last(Topics.TEAMS, "t-1");
        assertThat(t.getBeneficiary()).isEqualTo(Beneficiary.seniors);
        HttpResponse<String> c = stack.send(
                "POST",
                "/v1/cheers",
                IngestStack.ADMIN,
                "application/json",
                "{\"from\":\"p-1\",\"to\":\"p-2\",\"kind\":\"like\",\"at\":\"2026-11-25T10:00:00+01:00\"}");
        assertThat(c.statusCode()).as(c.body()).isEqualTo(202);
        // keyed by the giver, whose points the cheer may earn (docs/social.md)
        Cheer cheer = last(Topics.SOCIAL_CHEERS, "p-1");
        assertThat(cheer.getTo()).isEqualTo("p-2");
        assertThat(cheer.getCheerId())
                .isEqualTo("cheer:p-1:p-2:like:"
                        + java.time.Instant.parse("2026-11-25T09:00:00Z").toEpochMilli());
    }

    @ParameterizedTest(name = "{0} {1} -> names {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/programs/p1|{\"stepGoal\":7000,\"colour\":\"red\"}|unknown field|colour",
                "/v1/programs/p1|{\"stepGoal\":-5}|between|stepGoal",
                "/v1/programs/p1|{\"stepGoal\":1000}|within|stepGoal",
                "/v1/programs/p1|{\"activeHours\":{\"start\":\"25:00\",\"end\":\"18:00\"}}|HH:mm|activeHours.start",
                "/v1/programs/p1|{\"promptTimes\":[\"10:00\",\"noon\"]}|HH:mm|promptTimes[1]",
                "/v1/programs/p1|{\"defaultBeneficiary\":\"cats\"}|one of|defaultBeneficiary",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":true,\"timezone\":\"Mars/Olympus\"}|IANA|timezone",
                "/v1/participants/p1|{\"programId\":\"x\"}|missing required|consent",
                "/v1/participants/p1|{\"consent\":true}|missing required|programId",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":\"yes\"}|true or false|consent",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":true,\"preferences\":{\"quietHours\":{\"start\":\"21:00\"}}}|missing required|preferences.quietHours.end",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":true,\"preferences\":{\"optOut\":[\"SPAM\"]}}|one of|preferences.optOut[0]",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":true,\"preferences\":{\"email\":\"a@b.c\"}}|unknown field|preferences.email",
                "/v1/participants/p1|{\"programId\":\"x\",\"consent\":true,\"preferences\":{\"pausedDates\":[\"20-11-2026\"]}}|YYYY-MM-DD|preferences.pausedDates[0]",
                "/v1/devices/d1|{\"participantId\":\"p1\",\"type\":\"watch\"}|one of|type",
                "/v1/teams/t1|{\"name\":\"x\"}|missing required|programId",
                "/v1/participants/jane@example.org|{\"programId\":\"x\",\"consent\":true}|pseudonymous|participant id"
            })
    void invalidAdminInputIs400NamingTheField(String path, String body, String says, String field) throws Exception {
        HttpResponse<String> r = stack.put(path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(IngestStack.json(r).get("error").asText()).isEqualTo("bad_request");
        assertThat(IngestStack.json(r).get("message").asText()).contains(says).contains(field);
    }

    @Test
    void malformedJsonAndWrongContentTypeOnAdmin() throws Exception {
        assertThat(stack.put("/v1/programs/p1", "{\"name\":").statusCode()).isEqualTo(400);
        assertThat(stack.put("/v1/programs/p1", "[]").statusCode()).isEqualTo(400);
        assertThat(stack.send("PUT", "/v1/programs/p1", IngestStack.ADMIN, "text/plain", "{}")
                        .statusCode())
                .isEqualTo(415);
        assertThat(stack.send("PUT", "/v1/programs/p1", null, "application/json", "{}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void unknownRoutesAndMethodsAreJsonErrors() throws Exception {
        HttpResponse<String> notFound = stack.send("GET", "/v1/nothing", IngestStack.ADMIN, null, null);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(IngestStack.json(notFound).get("error").asText()).isEqualTo("not_found");
        HttpResponse<String> method = stack.send("GET", "/v1/programs/p1", IngestStack.ADMIN, null, null);
        assertThat(method.statusCode()).isIn(404, 405);
        assertThat(IngestStack.json(method).has("error")).isTrue();
    }
}
