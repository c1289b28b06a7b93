package io.engage.simulator;

import io.engage.avro.Beneficiary;
import io.engage.avro.Channel;
import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.LocalTimeRange;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.avro.Program;
import io.engage.avro.Team;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The simulated programme, teams, participants and devices, as the Avro records the reference topics (or the
 * admin API) take. Pseudonymous ids only ({@code p-00042}, {@code t-007}, {@code trk-00042}); deterministic for
 * the spec's seed, and each trait is drawn independently so changing one knob does not reshuffle the others.
 */
public final class Population {
    static {
        io.engage.schemas.AvroTrust.install(); // record defaults resolve enums (Beneficiary, Channel)
    }

    /**
     * The zones participants live in: the :30 and :45 offsets, half-hour daylight saving (Lord Howe), both
     * hemispheres' daylight saving, and UTC. A share of participants gives no zone at all.
     */
    public static final List<String> ZONES = List.of(
            "Asia/Kathmandu",
            "Asia/Kolkata",
            "Australia/Adelaide",
            "Australia/Lord_Howe",
            "America/St_Johns",
            "Europe/Amsterdam",
            "America/New_York",
            "America/Los_Angeles",
            "Asia/Tokyo",
            "Pacific/Chatham",
            "UTC");

    private final SimulationSpec spec;
    private final Program program;
    private final List<Team> teams;
    private final List<SimulatedParticipant> members;
    private final List<Device> devices;
    private final List<String> unpairedDeviceIds;
    private final Map<String, SimulatedParticipant> byDevice;
    private final List<SimulatedParticipant> withoutConsent;

    private Population(SimulationSpec spec) {
        this.spec = spec;
        Instant at = spec.startInstant().minusSeconds(86_400); // before any reading: profiles exist first
        this.program = Program.newBuilder()
                .setProgramId(spec.programId())
                .setName("Simulated programme (seed " + spec.seed() + ")")
                .setUpdatedAt(at)
                .build();
        List<Team> ts = new ArrayList<>();
        for (int t = 0; t < spec.teams(); t++) {
            SplittableRandom r = Seeds.rng(spec.seed(), Seeds.TEAM, t);
            ts.add(Team.newBuilder()
                    .setTeamId(teamId(t))
                    .setProgramId(spec.programId())
                    .setName("Team " + (t + 1))
                    .setBeneficiary(
                            r.nextDouble() < 0.5 ? null : Beneficiary.values()[r.nextInt(Beneficiary.values().length)])
                    .setUpdatedAt(at)
                    .build());
        }
        this.teams = List.copyOf(ts);

        List<String> zoneSlots = zoneSlots(spec.seed());
        List<SimulatedParticipant> ms = new ArrayList<>();
        List<Device> ds = new ArrayList<>();
        Map<String, SimulatedParticipant> bd = new HashMap<>();
        boolean anyWithoutConsent = false;
        for (int i = 0; i < spec.participants(); i++) {
            boolean consent = Seeds.rng(spec.seed(), Seeds.CONSENT, i).nextDouble() >= spec.noConsentShare();
            // at least one participant without consent when the share asks for some, so NO_CONSENT can be produced
            if (!consent) {
                anyWithoutConsent = true;
            } else if (i == spec.participants() - 1 && i > 0 && spec.noConsentShare() > 0 && !anyWithoutConsent) {
                consent = false;
            }
            SimulatedParticipant p = participant(i, zoneSlots.get(i % zoneSlots.size()), consent, at);
            ms.add(p);
            for (SimulatedDevice d : p.devices()) {
                ds.add(Device.newBuilder()
                        .setDeviceId(d.deviceId())
                        .setParticipantId(p.id())
                        .setType(d.type())
                        .setPairedAt(at)
                        .build());
                bd.put(d.deviceId(), p);
            }
        }
        this.members = List.copyOf(ms);
        this.devices = List.copyOf(ds);
        this.byDevice = Collections.unmodifiableMap(bd);
        this.withoutConsent = ms.stream().filter(p -> !p.consent()).toList();
        List<String> unpaired = new ArrayList<>();
        for (int u = 0; u < Math.max(1, spec.participants() / 50); u++) {
            unpaired.add(String.format("trk-u%04d", u + 1));
        }
        this.unpairedDeviceIds = List.copyOf(unpaired);
    }

    /** The population of {@code spec}. */
    public static Population of(SimulationSpec spec) {
        return new Population(spec);
    }

    /** Zones (null: none) in a seeded order, cycled over participants so every zone appears once there are 12. */
    private static List<String> zoneSlots(long seed) {
        List<String> slots = new ArrayList<>(ZONES);
        slots.add(null);
        SplittableRandom r = Seeds.rng(seed, Seeds.ZONE_ORDER);
        for (int i = slots.size() - 1; i > 0; i--) {
            Collections.swap(slots, i, r.nextInt(i + 1));
        }
        return slots;
    }

    private SimulatedParticipant participant(int i, String zone, boolean consent, Instant at) {
        long seed = spec.seed();
        String id = String.format("p-%05d", i + 1);
        ZoneId clockZone = zone != null
                ? ZoneId.of(zone)
                : ZoneId.of(ZONES.get(Seeds.rng(seed, Seeds.HOME_ZONE, i).nextInt(ZONES.size())));

        SplittableRandom g = Seeds.rng(seed, Seeds.GOAL, i);
        Integer stepGoal = g.nextDouble() < 0.15 ? 4_000 + 500 * g.nextInt(17) : null; // 4,000..12,000

        SplittableRandom b = Seeds.rng(seed, Seeds.BENEFICIARY, i);
        Beneficiary beneficiary =
                b.nextDouble() < 0.5 ? null : Beneficiary.values()[b.nextInt(Beneficiary.values().length)];

        SplittableRandom pr = Seeds.rng(seed, Seeds.PREFERENCES, i);
        double channel = pr.nextDouble();
        Preferences.Builder prefs = Preferences.newBuilder()
                .setChannel(channel < 0.8 ? Channel.push : channel < 0.9 ? Channel.sms : Channel.email)
                .setLeaderboardVisible(pr.nextDouble() >= 0.1)
                .setCoaching(pr.nextDouble() >= 0.05);
        if (pr.nextDouble() < 0.1) {
            prefs.setQuietHours(LocalTimeRange.newBuilder()
                    .setStart(LocalTime.of(22, 0))
                    .setEnd(LocalTime.of(7, 0))
                    .build());
        }

        // most around the 7,000-step goal, some mostly below it, some far above
        SplittableRandom l = Seeds.rng(seed, Seeds.LEVEL, i);
        double level = 7_000 * Seeds.logNormal(l, 0.3);
        double type = l.nextDouble();
        if (type < 0.15) {
            level *= 0.6;
        } else if (type > 0.88) {
            level *= 1.8;
        }

        SplittableRandom body = Seeds.rng(seed, Seeds.BODY, i);
        double weekend = Seeds.uniform(body, 0.6, 1.35);
        double stride = Seeds.uniform(body, 0.62, 0.82);
        int resting = 52 + body.nextInt(27);

        SplittableRandom dv = Seeds.rng(seed, Seeds.DEVICES, i);
        String n = String.format("%05d", i + 1);
        List<SimulatedDevice> own;
        double primary = dv.nextDouble();
        if (dv.nextDouble() < spec.dualDeviceRate()) {
            own = List.of(
                    new SimulatedDevice("trk-" + n, DeviceType.tracker),
                    new SimulatedDevice("gls-" + n, DeviceType.glasses));
        } else if (primary < 0.7) {
            own = List.of(new SimulatedDevice("trk-" + n, DeviceType.tracker));
        } else if (primary < 0.9) {
            own = List.of(new SimulatedDevice("phn-" + n, DeviceType.phone));
        } else {
            own = List.of(new SimulatedDevice("gls-" + n, DeviceType.glasses));
        }

        Participant profile = Participant.newBuilder()
                .setParticipantId(id)
                .setProgramId(spec.programId())
                .setTeamId(teamId(i % spec.teams()))
                .setTimezone(zone)
                .setConsent(consent)
                .setStepGoal(stepGoal)
                .setBeneficiary(beneficiary)
                .setPreferences(prefs.build())
                .setUpdatedAt(at)
                .build();
        return new SimulatedParticipant(i, profile, clockZone, level, weekend, stride, resting, own);
    }

    private static String teamId(int t) {
        return String.format("t-%03d", t + 1);
    }

    public SimulationSpec spec() {
        return spec;
    }

    /** The programme (defaults for every rule), for {@code programs} or {@code PUT /v1/programs/{id}}. */
    public Program program() {
        return program;
    }

    /** The teams, for {@code teams} or {@code PUT /v1/teams/{id}}. */
    public List<Team> teams() {
        return teams;
    }

    /** The participant profiles, for {@code participants} or {@code PUT /v1/participants/{id}}. */
    public List<Participant> participants() {
        return members.stream().map(SimulatedParticipant::profile).toList();
    }

    /** The device pairings, for {@code devices} or {@code PUT /v1/devices/{deviceId}}. */
    public List<Device> devices() {
        return devices;
    }

    /** The participants with their hidden traits. */
    public List<SimulatedParticipant> members() {
        return members;
    }

    /** Participants without consent (their devices' readings must be dead-lettered NO_CONSENT). */
    public List<SimulatedParticipant> withoutConsent() {
        return withoutConsent;
    }

    /** Device ids that send readings but are never paired (UNKNOWN_DEVICE). */
    public List<String> unpairedDeviceIds() {
        return unpairedDeviceIds;
    }

    /** The participant a device is paired with. */
    public Optional<SimulatedParticipant> byDevice(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }
}
