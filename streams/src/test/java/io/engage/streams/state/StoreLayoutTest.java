package io.engage.streams.state;

import static io.engage.streams.testing.TestStores.inMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.avro.Channel;
import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.DeviceHours;
import io.engage.streams.activity.HeartRateDay;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.activity.LocalHour;
import io.engage.streams.activity.ReadingState;
import io.engage.streams.coaching.CoachingPreferences;
import io.engage.streams.coaching.NudgeDue;
import io.engage.streams.coaching.NudgeRecord;
import io.engage.streams.coaching.NudgeSchedule;
import io.engage.streams.coaching.NudgeSlot;
import io.engage.streams.coaching.SuppressReason;
import io.engage.streams.engagement.AwaitedReading;
import io.engage.streams.goals.DayGoals;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import io.engage.streams.social.ParticipantWeek;
import io.engage.streams.testing.TestProfiles;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The stores' value layouts round-trip, refuse an unknown version, and keys keep participants apart. */
class StoreLayoutTest {

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("store", serde.serializer().serialize("store", value));
    }

    @Test
    void everyStoreValueRoundTrips() {
        ProfileView profile = new ProfileView(
                "p-1",
                "prog-1",
                null,
                "Asia/Kathmandu",
                true,
                9000,
                null,
                new TreeSet<>(List.of(LocalDate.parse("2026-11-20"))),
                "veterans",
                CoachingPreferences.DEFAULT,
                true,
                true,
                null);
        assertThat(roundTrip(ProfileView.serde(), profile)).isEqualTo(profile);
        ProgramRules rules = ProgramRules.defaults("prog-1");
        assertThat(roundTrip(ProgramRules.serde(), rules)).isEqualTo(rules);
        HourBucket bucket = sampleBucket();
        assertThat(roundTrip(HourBucket.serde(), bucket)).isEqualTo(bucket);
        HeartRateDay hr = HeartRateDay.EMPTY.add(70_000_000).add(70_000_000).add(90_500_000);
        DayState day = DayState.open("Europe/Berlin", "prog-1", new DayGoals(7000, 30), Instant.EPOCH)
                .plus(Metric.steps, 7_000_000_000L)
                .withHeartRate(hr.summary())
                .withStepsAchieved();
        assertThat(roundTrip(DayState.serde(), day)).isEqualTo(day);
        assertThat(roundTrip(PointsBalance.serde(), new PointsBalance(35, 4, 1)))
                .isEqualTo(new PointsBalance(35, 4, 1));
        assertThat(roundTrip(AwaitedReading.serde(), sampleAwaited())).isEqualTo(sampleAwaited());
        assertThat(roundTrip(ParticipantWeek.serde(), sampleStanding())).isEqualTo(sampleStanding());
        ProfileView coached = sampleCoachedProfile();
        assertThat(roundTrip(ProfileView.serde(), coached)).isEqualTo(coached);
        ProgramRules timed = new ProgramRules(
                "prog-1",
                7000,
                30,
                2000,
                30000,
                false,
                10,
                5,
                new java.util.TreeMap<>(),
                100,
                5_000_000,
                1000,
                null,
                "eye exam",
                "children",
                new NudgeSchedule(
                        List.of(LocalTime.of(9, 30), LocalTime.of(16, 0)), LocalTime.of(8, 0), LocalTime.of(20, 0)),
                ProgramRules.DEFAULT_CHEER_POINTS,
                ProgramRules.DEFAULT_MAX_CHEERS_PER_DAY);
        assertThat(roundTrip(ProgramRules.serde(), timed)).isEqualTo(timed);
        assertThat(roundTrip(NudgeDue.serde(), sampleDue())).isEqualTo(sampleDue());
        assertThat(roundTrip(NudgeRecord.serde(), sampleNudge())).isEqualTo(sampleNudge());
        NudgeRecord held = new NudgeRecord(
                NudgeType.INACTIVITY,
                "11:50",
                Instant.parse("2026-11-20T10:50:00Z"),
                Instant.parse("2026-11-20T10:50:00.300Z"),
                SuppressReason.QUIET_HOURS,
                "nudge:p-1:2026-11-20:INACTIVITY:11:50",
                Channel.push,
                "Only 0 steps this hour.");
        assertThat(roundTrip(NudgeRecord.serde(), held)).isEqualTo(held);
    }

    static ProfileView sampleCoachedProfile() {
        return new ProfileView(
                "p-1",
                "prog-1",
                "t-1",
                "Europe/Berlin",
                true,
                null,
                null,
                new TreeSet<>(),
                null,
                new CoachingPreferences(
                        true,
                        java.util.Set.of(NudgeType.INACTIVITY, NudgeType.BEHIND_PACE),
                        LocalTime.of(22, 0),
                        LocalTime.of(7, 30),
                        3,
                        Channel.sms),
                true,
                true,
                null);
    }

    static NudgeDue sampleDue() {
        return new NudgeDue(
                new NudgeSlot(
                        NudgeType.SCHEDULED_PROMPT,
                        LocalDate.parse("2026-11-20"),
                        "15:00",
                        Instant.parse("2026-11-20T14:00:00Z")),
                "Europe/Berlin");
    }

    static NudgeRecord sampleNudge() {
        return new NudgeRecord(
                NudgeType.SCHEDULED_PROMPT,
                "15:00",
                Instant.parse("2026-11-20T14:00:00Z"),
                Instant.parse("2026-11-20T14:00:00.250Z"),
                null,
                "nudge:p-1:2026-11-20:SCHEDULED_PROMPT:15:00",
                Channel.email,
                "100 of 7,000 steps so far today: 6,900 to go. A short walk now?");
    }

    /** A fractional value and sub-millisecond instants: both must come back exactly. */
    static AwaitedReading sampleAwaited() {
        Instant start = Instant.parse("2026-11-20T08:00:00.000001Z");
        return new AwaitedReading(
                new ReadingState(
                        "gls-1",
                        Metric.distance,
                        start,
                        start.plusSeconds(900),
                        812.25,
                        "Europe/Berlin",
                        Instant.parse("2026-11-20T08:31:00.500Z"),
                        77),
                Instant.parse("2026-11-20T08:31:00.501Z"),
                Instant.parse("2026-11-20T08:31:02Z"));
    }

    /** Two devices, a whole and a fractional value, a point reading, a :45 zone hour, an offset of -1 (none). */
    static HourBucket sampleBucket() {
        Instant start = Instant.parse("2026-11-20T08:00:00Z");
        long hour = HourBucket.hourOf(start);
        LocalHour berlin = new LocalHour(LocalDateTime.parse("2026-11-20T09:00"), ZoneOffset.ofHours(1));
        LocalHour kathmandu = new LocalHour(LocalDateTime.parse("2026-11-20T14:00"), ZoneOffset.ofHoursMinutes(5, 45));
        return HourBucket.empty(hour)
                .withReading(new ReadingState(
                        "trk-1",
                        Metric.steps,
                        start,
                        start.plusSeconds(3600),
                        1234,
                        "Europe/Berlin",
                        Instant.parse("2026-11-20T09:04:00Z"),
                        42))
                .withReading(new ReadingState(
                        "gls-1",
                        Metric.distance,
                        start.plusSeconds(900),
                        start.plusSeconds(1800),
                        812.25,
                        "Europe/Berlin",
                        Instant.parse("2026-11-20T08:31:00.500Z"),
                        -1))
                .withReading(new ReadingState(
                        "trk-1",
                        Metric.heart_rate,
                        start.plusSeconds(61),
                        start.plusSeconds(61),
                        71,
                        "Asia/Kathmandu",
                        Instant.parse("2026-11-20T09:04:00Z"),
                        43))
                .withHour(
                        berlin,
                        Metric.steps,
                        DeviceHours.EMPTY.plus("trk-1", 1_234_000_000L).plus("gls-1", 999_000_000L))
                .withHour(kathmandu, Metric.distance, DeviceHours.EMPTY.plus("gls-1", 812_250_000L));
    }

    /**
     * The bytes of the store layouts are pinned: a change that alters them must come with a new layout version (and a
     * reader of the old one), or state written by the running release would be misread after an upgrade.
     */
    @Test
    void theStoreLayoutsArePinned() {
        assertThat(HexFormat.of().formatHex(HourBucket.serde().serializer().serialize("s", sampleBucket())))
                .isEqualTo(PINNED_BUCKET);
        DayState day = DayState.open(
                        "Europe/Berlin", "prog-1", new DayGoals(7000, 30), Instant.parse("2026-11-20T09:04:00Z"))
                .plus(Metric.steps, 7_000_000_000L)
                .plus(Metric.distance, 5_123_456_789L)
                .withHeartRate(new HeartRateDay.Summary(70_000_000, 90_500_000, 230_500_000, 3))
                .withStepsAchieved();
        assertThat(HexFormat.of().formatHex(DayState.serde().serializer().serialize("s", day)))
                .isEqualTo(PINNED_DAY);
        assertThat(HexFormat.of()
                        .formatHex(PointsBalance.serde().serializer().serialize("s", new PointsBalance(135, 9, 1))))
                .isEqualTo(PINNED_POINTS);
        assertThat(HexFormat.of().formatHex(AwaitedReading.serde().serializer().serialize("s", sampleAwaited())))
                .isEqualTo(PINNED_AWAITED);
        assertThat(HexFormat.of().formatHex(ProfileView.serde().serializer().serialize("s", sampleCoachedProfile())))
                .isEqualTo(PINNED_PROFILE);
        assertThat(HexFormat.of().formatHex(NudgeDue.serde().serializer().serialize("s", sampleDue())))
                .isEqualTo(PINNED_NUDGE_DUE);
        assertThat(HexFormat.of().formatHex(NudgeRecord.serde().serializer().serialize("s", sampleNudge())))
                .isEqualTo(PINNED_NUDGE);
        assertThat(HexFormat.of().formatHex(ParticipantWeek.serde().serializer().serialize("s", sampleStanding())))
                .isEqualTo(PINNED_STANDING);
    }

    private static ParticipantWeek sampleStanding() {
        return ParticipantWeek.empty("prog-1", "team-1", true, Instant.parse("2026-11-20T09:04:00Z"))
                .with(
                        LocalDate.parse("2026-11-20"),
                        45_000,
                        "prog-1",
                        "team-1",
                        true,
                        Instant.parse("2026-11-20T09:04:00Z"))
                .with(
                        LocalDate.parse("2026-11-16"),
                        0,
                        "prog-1",
                        "team-1",
                        true,
                        Instant.parse("2026-11-20T09:04:00Z"));
    }

    private static final String PINNED_PROFILE =
            "05010003702d3101000670726f672d31010003742d3101000d4575726f70652f4265726c696e0100020000000000010000000202030001356000006978000000030201010000000000000000";
    /** The same profile in layout 4 (before the time of writing). */
    private static final String PROFILE_LAYOUT_4 =
            "04010003702d3101000670726f672d31010003742d3101000d4575726f70652f4265726c696e010002000000000001000000020203000135600000697800000003020101";
    /** The same profile in layout 3 (before the social preferences). */
    private static final String PROFILE_LAYOUT_3 =
            "03010003702d3101000670726f672d31010003742d3101000d4575726f70652f4265726c696e01000200000000000100000002020300013560000069780000000302";

    private static final String PINNED_STANDING =
            "0101000670726f672d310100067465616d2d310180a09683bf6801000000c9df020000";
    private static final String PINNED_NUDGE_DUE =
            "01010000512901000531353a3030000001a1f941c70001000d4575726f70652f4265726c696e";
    private static final String PINNED_NUDGE =
            "010101000531353a3030000001a1f941c700000001a1f941c7fa0001002b6e756467653a702d313a323032362d31312d32303a5343484544554c45445f50524f4d50543a31353a303003003f313030206f6620372c30303020737465707320736f2066617220746f6461793a20362c39303020746f20676f2e20412073686f72742077616c6b206e6f773f";

    private static final String PINNED_BUCKET =
            "01e0b71e020005676c732d31000574726b2d3102000d4575726f70652f4265726c696e000e417369612f4b6174686d616e6475030002a0f736a0f73601408962000000000000a8b1070001010080dddb01c8260080a61d560105c8dc03009c0201f0a6cd03580200a038010200809fdcb8070180e2ea9809a0f736b8c302020100a0cecf8606";
    private static final String PINNED_DAY =
            "02000d4575726f70652f4265726c696e000670726f672d31078098dc9334aafc8d9626000080f6e042c0aea756c09ae9db0103b06d3c80a09683bf68";
    private static final String PINNED_POINTS = "038e020901";
    private static final String PINNED_AWAITED =
            "0102010005676c732d3101000d4575726f70652f4265726c696e80f8ffaf0de807888680b00de807014089620000000000889580b00d80cab5ee019a01889580b00dc0cef2ee018c9580b00d00";

    @Test
    void aBucketHoldsTheSameEverWhicheverOrderItWasBuiltIn() {
        HourBucket a = sampleBucket();
        HourBucket b = HourBucket.empty(a.epochHour());
        for (int i = a.readings().size() - 1; i >= 0; i--) {
            b = b.withReading(a.readings().get(i));
        }
        for (var e : a.hours().entrySet()) {
            b = b.withHour(e.getKey().hour(), e.getKey().metric(), e.getValue());
        }
        assertThat(b).isEqualTo(a);
        assertThat(HourBucket.serde().serializer().serialize("s", b))
                .isEqualTo(HourBucket.serde().serializer().serialize("s", a));
    }

    @Test
    void valuesWrittenByTheEarlierLayoutStillRead() {
        // layout 1 of the points balance: total, awards (no donation thresholds yet)
        byte[] points = StateCodec.<long[]>serde(
                        "old", 1, (v, out) -> out.int64(v[0]).int64(v[1]), in -> null)
                .serializer()
                .serialize("s", new long[] {35, 4});
        assertThat(PointsBalance.serde().deserializer().deserialize("s", points))
                .isEqualTo(new PointsBalance(35, 4, 0));
        // layout 1 of the profile: no beneficiary
        byte[] profile = StateCodec.<String>serde(
                        "old",
                        1,
                        (v, out) -> out.string("p-1")
                                .string("prog-1")
                                .string(null)
                                .string("UTC")
                                .bool(true)
                                .nullableInt(null)
                                .nullableBool(null)
                                .int32(0),
                        in -> null)
                .serializer()
                .serialize("s", "x");
        assertThat(ProfileView.serde().deserializer().deserialize("s", profile))
                .isEqualTo(TestProfiles.plain("p-1", "UTC", true));
        // layout 1 of the programme rules: no donation rules, which read as the defaults
        byte[] rules = StateCodec.<String>serde(
                        "old",
                        1,
                        (v, out) -> out.string("prog-1")
                                .int32(8000)
                                .int32(30)
                                .int32(2000)
                                .int32(30000)
                                .bool(false)
                                .int32(10)
                                .int32(5)
                                .int32(50)
                                .int32(0),
                        in -> null)
                .serializer()
                .serialize("s", "x");
        // layout 4 of the profile: no time of writing, which reads as the epoch
        assertThat(ProfileView.serde()
                        .deserializer()
                        .deserialize("s", HexFormat.of().parseHex(PROFILE_LAYOUT_4)))
                .isEqualTo(sampleCoachedProfile());
        // layout 3 of the profile: no social preferences, which read as visible and social
        assertThat(ProfileView.serde()
                        .deserializer()
                        .deserialize("s", HexFormat.of().parseHex(PROFILE_LAYOUT_3)))
                .isEqualTo(sampleCoachedProfile())
                .satisfies(p ->
                        assertThat(p.leaderboardVisible() && p.socialEnabled()).isTrue());
        ProgramRules read = ProgramRules.serde().deserializer().deserialize("s", rules);
        assertThat(read.stepGoal()).isEqualTo(8000);
        assertThat(read.pointsPerDonation()).isEqualTo(50);
        assertThat(read.donationBudget()).isEqualTo(1000);
        assertThat(read.defaultBeneficiary()).isEqualTo("children");
        assertThat(read.cheerGivenPoints()).isEqualTo(ProgramRules.DEFAULT_CHEER_POINTS);
        assertThat(read.maxCheersPerDay()).isEqualTo(ProgramRules.DEFAULT_MAX_CHEERS_PER_DAY);
    }

    @Test
    void anUnknownLayoutVersionIsRefused() {
        byte[] bytes = PointsBalance.serde().serializer().serialize("s", PointsBalance.ZERO);
        bytes[0] = 9;
        assertThatThrownBy(() -> PointsBalance.serde().deserializer().deserialize("s", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void aParticipantsPrefixDoesNotReachAnotherParticipant() {
        assertThat(StoreKeys.day("p-10", LocalDate.parse("2026-11-20")))
                .doesNotStartWith(StoreKeys.participantPrefix("p-1"));
        assertThat(StoreKeys.day("p-1", LocalDate.parse("2026-11-20"))).startsWith(StoreKeys.participantPrefix("p-1"));
        assertThat(StoreKeys.split(StoreKeys.join("a", "b", "", "c"))).containsExactly("a", "b", "", "c");
        assertThatThrownBy(() -> StoreKeys.join("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExpiryIndexPurgesOldestFirstAndStopsAtTheFirstNotDue() {
        KeyValueStore<String, byte[]> indexStore = inMemory(Serdes.ByteArray());
        KeyValueStore<String, String> target = inMemory(Serdes.String());
        ExpiryIndex index = new ExpiryIndex(indexStore);
        for (int i = 1; i <= 5; i++) {
            target.put("k" + i, "v");
            index.add(Instant.ofEpochSecond(i * 100L), "target", "k" + i);
        }
        Map<String, Consumer<String>> stores = Map.of("target", target::delete);
        assertThat(index.expire(Instant.ofEpochSecond(250), 100, stores)).isEqualTo(2);
        assertThat(target.get("k1")).isNull();
        assertThat(target.get("k3")).isEqualTo("v");
        assertThat(index.expire(Instant.ofEpochSecond(1000), 2, stores))
                .as("at most a batch per run")
                .isEqualTo(2);
        assertThat(target.get("k5")).isEqualTo("v");
        assertThat(index.expire(Instant.ofEpochSecond(1000), 2, stores)).isEqualTo(1);
        assertThat(index.expire(Instant.ofEpochSecond(1000), 2, stores)).isZero();
    }
}
