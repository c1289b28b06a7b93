package io.engage.streams.query;

import io.engage.streams.coaching.NudgeRecord;
import java.time.LocalDate;
import java.util.List;

/** A participant's nudges of one local date for {@code GET /v1/participants/{id}/nudges} (docs/coaching.md). */
public record NudgeInbox(String participantId, LocalDate date, List<NudgeRecord> sent, List<NudgeRecord> suppressed) {
    public NudgeInbox {
        sent = List.copyOf(sent);
        suppressed = List.copyOf(suppressed);
    }
}
