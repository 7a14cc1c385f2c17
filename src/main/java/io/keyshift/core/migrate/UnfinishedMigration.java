package io.keyshift.core.migrate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * A migration that holds some of the keys another migration would move: it is not done and not
 * abandoned, so it keeps them until it is resumed to the end or abandoned.
 *
 * @param stage     where it stands; null when it claimed its keys but has no journal entry (it is
 *                  starting right now, or it stopped before its backup)
 * @param startedAt when it was journaled, or when it claimed its keys if it has no journal entry
 * @param heldKeys  which of the keys asked about it holds
 */
public record UnfinishedMigration(String id, Strategy strategy, MigrationRecord.Stage stage, String startedBy,
                                  Instant startedAt, List<UUID> heldKeys) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public UnfinishedMigration {
        heldKeys = List.copyOf(heldKeys);
    }

    /** True when it has a journal entry to resume from. */
    public boolean resumable() {
        return stage != null;
    }

    /** When it started, as a DBA reads it. */
    public String startedInWords() {
        return WHEN.format(startedAt);
    }

    /** Where it stands, in words: the journal's stage, or why it has none. */
    public String stageInWords() {
        return stage != null ? stage.inWords() : "claimed its keys but has no journal entry (it is starting right now,"
                + " or it stopped before its backup)";
    }

    /** The command that resumes it. */
    public String resumeCommand() {
        return "keyshift resume --migration " + id;
    }

    /** The command that abandons it. */
    public String abandonCommand() {
        return "keyshift abandon --migration " + id;
    }

    /** Why another migration of these keys is refused, and the ways forward, in one paragraph. */
    public String sentence() {
        String who = "Migration " + id + " (" + strategy + ", started " + startedInWords() + " by " + startedBy + ")";
        String holds = " holds " + heldKeys.size() + " of the selected key(s); a key is moved by one migration at a time.";
        if (!resumable()) {
            return who + " " + stageInWords() + " and" + holds + " If no KeyShift is running it, release its keys with `"
                    + abandonCommand() + "`.";
        }
        return who + " is unfinished: " + stageInWords() + ". It" + holds + " Continue it with `" + resumeCommand()
                + "`, or undo what it did and release its keys with `" + abandonCommand() + "`.";
    }
}
