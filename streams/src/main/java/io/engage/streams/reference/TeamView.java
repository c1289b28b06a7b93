package io.engage.streams.reference;

import io.engage.avro.Team;
import io.engage.streams.state.StateCodec;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** What the topology keeps of a {@code teams} record: its programme and beneficiary group (null: the default). */
public record TeamView(String teamId, String programId, String beneficiary) {
    public TeamView {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(programId, "programId");
    }

    public static TeamView of(Team t) {
        return new TeamView(
                t.getTeamId(),
                t.getProgramId(),
                t.getBeneficiary() == null ? null : t.getBeneficiary().name());
    }

    /** Store serde. */
    public static Serde<TeamView> serde() {
        return StateCodec.serde(
                "team",
                1,
                (t, out) -> out.string(t.teamId).string(t.programId).string(t.beneficiary),
                in -> new TeamView(in.string(), in.string(), in.string()));
    }
}
