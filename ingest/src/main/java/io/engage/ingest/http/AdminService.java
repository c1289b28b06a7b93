package io.engage.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.Beneficiary;
import io.engage.avro.Channel;
import io.engage.avro.Cheer;
import io.engage.avro.CheerKind;
import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.LocalTimeRange;
import io.engage.avro.NudgeType;
import io.engage.avro.Participant;
import io.engage.avro.ParticipantErasure;
import io.engage.avro.PointRules;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.Team;
import io.engage.http.ApiException;
import io.engage.http.Ids;
import io.engage.ingest.publish.TransactionalPublisher;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The admin API's writes (docs/ingest.md): each PUT replaces the whole record and is published to its compacted
 * topic; DELETEs publish tombstones. Bodies are read strictly: unknown fields and invalid values are a 400 naming
 * the field.
 */
public final class AdminService {
    private static final Set<String> PROGRAM_FIELDS = Set.of(
            "name",
            "stepGoal",
            "activeMinutesGoal",
            "minStepGoal",
            "maxStepGoal",
            "adaptiveGoal",
            "pointsPerDonation",
            "teamStepsPerDonation",
            "donationBudget",
            "maxDonationsPerParticipant",
            "donationItem",
            "defaultBeneficiary",
            "promptTimes",
            "activeHours",
            "points");
    private static final Set<String> POINT_FIELDS =
            Set.of("stepGoalDay", "activeMinutesGoalDay", "milestones", "cheerGiven", "maxCheersPerDay");
    private static final Set<String> RANGE_FIELDS = Set.of("start", "end");
    private static final Set<String> TEAM_FIELDS = Set.of("programId", "name", "beneficiary");
    private static final Set<String> PARTICIPANT_FIELDS = Set.of(
            "programId", "teamId", "timezone", "consent", "stepGoal", "adaptiveGoal", "beneficiary", "preferences");
    private static final Set<String> PREFERENCE_FIELDS = Set.of(
            "coaching",
            "optOut",
            "quietHours",
            "maxNudgesPerDay",
            "channel",
            "leaderboardVisible",
            "socialEnabled",
            "pausedDates");
    private static final Set<String> DEVICE_FIELDS = Set.of("participantId", "type", "gateway");
    private static final Set<String> CHEER_FIELDS = Set.of("from", "to", "kind", "at");
    private static final int MAX_GOAL = 200_000;

    private final TransactionalPublisher publisher;
    private final TopicCatalogue catalogue;
    private final TopicSerdes serdes;
    private final Clock clock;
    private final java.util.function.Predicate<String> gatewayNamed;

    /**
     * @param gatewayNamed whether a gateway token of that name is configured (a device can be bound only to one)
     */
    public AdminService(
            TransactionalPublisher publisher,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            Clock clock,
            java.util.function.Predicate<String> gatewayNamed) {
        this.publisher = publisher;
        this.catalogue = catalogue;
        this.serdes = serdes;
        this.clock = clock;
        this.gatewayNamed = gatewayNamed;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code PUT /v1/programs/{id}}. */
    public Program putProgram(String id, JsonNode body) {
        Program p = program(id, body, now());
        publish(Topics.PROGRAMS, id, p);
        return p;
    }

    /**
     * The programme that {@code PUT /v1/programs/{id}} with {@code body} publishes, checked as that route checks it
     * (also read by {@code ./engage replay what-if}, docs/replay.md).
     *
     * @throws io.engage.http.ApiException (400) when the body breaks a rule of docs/ingest.md (the message says which)
     */
    public static Program program(String id, JsonNode body, Instant updatedAt) {
        Ids.require(id, "programme id");
        Fields f = Fields.of(body, "", PROGRAM_FIELDS);
        Program.Builder b = Program.newBuilder()
                .setProgramId(id)
                .setName(f.string("name", false))
                .setUpdatedAt(updatedAt);
        Integer stepGoal = f.integer("stepGoal", false, 1, MAX_GOAL);
        Integer min = f.integer("minStepGoal", false, 1, MAX_GOAL);
        Integer max = f.integer("maxStepGoal", false, 1, MAX_GOAL);
        if (stepGoal != null) {
            b.setStepGoal(stepGoal);
        }
        if (min != null) {
            b.setMinStepGoal(min);
        }
        if (max != null) {
            b.setMaxStepGoal(max);
        }
        // A builder reports unset fields as 0, so compare against the schema defaults where a value was left out.
        int effMin = min != null ? min : programDefault("minStepGoal");
        int effMax = max != null ? max : programDefault("maxStepGoal");
        int effGoal = stepGoal != null ? stepGoal : programDefault("stepGoal");
        if (effMin > effMax) {
            throw ApiException.badRequest(
                    "field 'minStepGoal' (" + effMin + ") must not exceed 'maxStepGoal' (" + effMax + ")");
        }
        if (effGoal < effMin || effGoal > effMax) {
            throw ApiException.badRequest("field 'stepGoal' (" + effGoal
                    + ") must be within [minStepGoal, maxStepGoal] = [" + effMin + ", " + effMax + "]");
        }
        Integer am = f.integer("activeMinutesGoal", false, 1, 24 * 60);
        if (am != null) {
            b.setActiveMinutesGoal(am);
        }
        Boolean adaptive = f.bool("adaptiveGoal", false);
        if (adaptive != null) {
            b.setAdaptiveGoal(adaptive);
        }
        Integer ppd = f.integer("pointsPerDonation", false, 1, Integer.MAX_VALUE);
        if (ppd != null) {
            b.setPointsPerDonation(ppd);
        }
        Long tspd = f.longValue("teamStepsPerDonation", false, 1);
        if (tspd != null) {
            b.setTeamStepsPerDonation(tspd);
        }
        Integer budget = f.integer("donationBudget", false, 0, Integer.MAX_VALUE);
        if (budget != null) {
            b.setDonationBudget(budget);
        }
        b.setMaxDonationsPerParticipant(f.integer("maxDonationsPerParticipant", false, 1, Integer.MAX_VALUE));
        String item = f.string("donationItem", false);
        if (item != null) {
            b.setDonationItem(item);
        }
        Beneficiary beneficiary = f.enumValue("defaultBeneficiary", false, Beneficiary.class);
        if (beneficiary != null) {
            b.setDefaultBeneficiary(beneficiary);
        }
        List<String> prompts = f.strings("promptTimes");
        if (prompts != null) {
            List<LocalTime> times = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                times.add(Fields.parseTime(prompts.get(i), "promptTimes[" + i + "]"));
            }
            b.setPromptTimes(times.stream().distinct().sorted().toList());
        }
        b.setActiveHours(range(f, "activeHours"));
        Fields points = f.object("points", POINT_FIELDS);
        if (points != null) {
            PointRules.Builder pr = PointRules.newBuilder();
            Integer v;
            if ((v = points.integer("stepGoalDay", false, 0, 1_000_000)) != null) {
                pr.setStepGoalDay(v);
            }
            if ((v = points.integer("activeMinutesGoalDay", false, 0, 1_000_000)) != null) {
                pr.setActiveMinutesGoalDay(v);
            }
            if ((v = points.integer("cheerGiven", false, 0, 1_000_000)) != null) {
                pr.setCheerGiven(v);
            }
            if ((v = points.integer("maxCheersPerDay", false, 0, 1_000_000)) != null) {
                pr.setMaxCheersPerDay(v);
            }
            if (points.has("milestones")) {
                JsonNode m = body.get("points").get("milestones");
                if (!m.isObject()) {
                    throw ApiException.badRequest(
                            "field 'points.milestones' must be an object of streak length to points");
                }
                Map<String, Integer> milestones = new LinkedHashMap<>();
                for (var it = m.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getKey().matches("[1-9]\\d{0,3}")
                            || !e.getValue().isIntegralNumber()
                            || e.getValue().asInt() < 0) {
                        throw ApiException.badRequest("field 'points.milestones." + e.getKey()
                                + "' must map a streak length in days to a non-negative integer");
                    }
                    milestones.put(e.getKey(), e.getValue().asInt());
                }
                pr.setMilestones(milestones);
            }
            b.setPoints(pr.build());
        }
        return b.build();
    }

    /** {@code PUT /v1/teams/{id}}. */
    public Team putTeam(String id, JsonNode body) {
        Ids.require(id, "team id");
        Fields f = Fields.of(body, "", TEAM_FIELDS);
        Team t = Team.newBuilder()
                .setTeamId(id)
                .setProgramId(f.id("programId", true))
                .setName(f.string("name", false))
                .setBeneficiary(f.enumValue("beneficiary", false, Beneficiary.class))
                .setUpdatedAt(now())
                .build();
        publish(Topics.TEAMS, id, t);
        return t;
    }

    /** {@code PUT /v1/participants/{id}}. */
    public Participant putParticipant(String id, JsonNode body) {
        Ids.require(id, "participant id");
        Fields f = Fields.of(body, "", PARTICIPANT_FIELDS);
        String zone = f.string("timezone", false);
        if (zone != null) {
            try {
                ZoneId.of(zone);
            } catch (RuntimeException e) {
                throw ApiException.badRequest(
                        "field 'timezone' must be an IANA time zone id such as Europe/Amsterdam, was '" + zone + "'");
            }
        }
        Participant.Builder b = Participant.newBuilder()
                .setParticipantId(id)
                .setProgramId(f.id("programId", true))
                .setTeamId(f.id("teamId", false))
                .setTimezone(zone)
                .setConsent(f.bool("consent", true))
                .setStepGoal(f.integer("stepGoal", false, 1, MAX_GOAL))
                .setAdaptiveGoal(f.bool("adaptiveGoal", false))
                .setBeneficiary(f.enumValue("beneficiary", false, Beneficiary.class))
                .setUpdatedAt(now());
        Preferences.Builder pb = Preferences.newBuilder();
        Fields p = f.object("preferences", PREFERENCE_FIELDS);
        if (p != null) {
            Boolean v;
            if ((v = p.bool("coaching", false)) != null) {
                pb.setCoaching(v);
            }
            List<String> optOut = p.strings("optOut");
            if (optOut != null) {
                List<NudgeType> types = new ArrayList<>();
                for (int i = 0; i < optOut.size(); i++) {
                    types.add(Fields.parseEnum(optOut.get(i), "preferences.optOut[" + i + "]", NudgeType.class));
                }
                pb.setOptOut(types.stream().distinct().toList());
            }
            pb.setQuietHours(range(p, "quietHours"));
            Integer max = p.integer("maxNudgesPerDay", false, 0, 100);
            if (max != null) {
                pb.setMaxNudgesPerDay(max);
            }
            Channel channel = p.enumValue("channel", false, Channel.class);
            if (channel != null) {
                pb.setChannel(channel);
            }
            if ((v = p.bool("leaderboardVisible", false)) != null) {
                pb.setLeaderboardVisible(v);
            }
            if ((v = p.bool("socialEnabled", false)) != null) {
                pb.setSocialEnabled(v);
            }
            var paused = p.dates("pausedDates");
            if (paused != null) {
                pb.setPausedDates(paused.stream().distinct().sorted().toList());
            }
        }
        Participant participant = b.setPreferences(pb.build()).build();
        publish(Topics.PARTICIPANTS, id, participant);
        return participant;
    }

    /**
     * {@code DELETE /v1/participants/{id}}: the profile's tombstone and the erasure request, in one transaction. Every
     * process forgets the profile with the tombstone; the normaliser unpairs the participant's devices and the
     * engagement application forgets what their readings made when they read the request (docs/privacy.md).
     */
    public void eraseParticipant(String id) {
        Ids.require(id, "participant id");
        ParticipantErasure erasure = ParticipantErasure.newBuilder()
                .setParticipantId(id)
                .setRequestedAt(now())
                .build();
        publisher.publish(
                List.of(record(Topics.PARTICIPANTS, id, null), record(Topics.PARTICIPANT_ERASURES, id, erasure)));
    }

    /** {@code PUT /v1/devices/{deviceId}}. */
    public Device putDevice(String id, JsonNode body) {
        Ids.require(id, "device id");
        Fields f = Fields.of(body, "", DEVICE_FIELDS);
        String gateway = f.id("gateway", false);
        if (gateway != null && !gatewayNamed.test(gateway)) {
            throw ApiException.badRequest("gateway: no gateway token is named '" + gateway + "' (auth.token.gateway)");
        }
        Device d = Device.newBuilder()
                .setDeviceId(id)
                .setParticipantId(f.id("participantId", true))
                .setType(f.enumValue("type", true, DeviceType.class))
                .setPairedAt(now())
                .setGateway(gateway)
                .build();
        publish(Topics.DEVICES, id, d);
        return d;
    }

    /** {@code DELETE /v1/devices/{deviceId}}: unpairs. */
    public void unpairDevice(String id) {
        Ids.require(id, "device id");
        publish(Topics.DEVICES, id, null);
    }

    /** {@code POST /v1/cheers}; the cheer id is derived from the content, so a retried POST is the same cheer. */
    public Cheer postCheer(JsonNode body) {
        Fields f = Fields.of(body, "", CHEER_FIELDS);
        String from = f.id("from", true);
        String to = f.id("to", true);
        CheerKind kind = f.enumValue("kind", false, CheerKind.class);
        var at = f.timestamp("at", false);
        Instant instant = at == null ? now() : at.toInstant().truncatedTo(ChronoUnit.MILLIS);
        if (kind == null) {
            kind = CheerKind.cheer;
        }
        Cheer c = Cheer.newBuilder()
                .setCheerId("cheer:" + from + ":" + to + ":" + kind + ":" + instant.toEpochMilli())
                .setFrom(from)
                .setTo(to)
                .setKind(kind)
                .setAt(instant)
                .build();
        publish(Topics.SOCIAL_CHEERS, from, c); // keyed by the giver, whose points it may earn (docs/social.md)
        return c;
    }

    private static int programDefault(String field) {
        return ((Number) Program.getClassSchema().getField(field).defaultVal()).intValue();
    }

    private static LocalTimeRange range(Fields parent, String field) {
        Fields r = parent.object(field, RANGE_FIELDS);
        if (r == null) {
            return null;
        }
        LocalTime start = r.timeOfDay("start", true);
        LocalTime end = r.timeOfDay("end", true);
        if (start.equals(end)) {
            throw ApiException.badRequest(
                    "field '" + parent.fieldName(field) + "' must not start and end at the same time");
        }
        return LocalTimeRange.newBuilder().setStart(start).setEnd(end).build();
    }

    private <V> void publish(TopicSpec<String, V> spec, String key, V value) {
        publisher.publish(List.of(record(spec, key, value)));
    }

    private <V> ProducerRecord<byte[], byte[]> record(TopicSpec<String, V> spec, String key, V value) {
        String topic = catalogue.name(spec);
        byte[] k = serdes.keySerde(spec).serializer().serialize(topic, key);
        byte[] v = value == null ? null : serdes.valueSerde(spec).serializer().serialize(topic, value);
        return new ProducerRecord<>(topic, k, v);
    }
}
