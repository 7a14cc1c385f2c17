package io.keyshift.core.migrate;


import java.nio.file.Path;

/**
 * How a run of any strategy ended: interrupted between chunks or batches (resumable, no report yet),
 * or completed, with what verification found and where the report is.
 *
 * @param stopReason why an interrupted run stopped when it was not asked to (the KMS did not answer
 *                   during verification); null otherwise
 */
public record MigrationResult(Outcome outcome, MigrationRecord migration, MigrationReport report, Path reportHtml,
                              String stopReason) {

    public MigrationResult(Outcome outcome, MigrationRecord migration, MigrationReport report, Path reportHtml) {
        this(outcome, migration, report, reportHtml, null);
    }

    /** How a run, or one pass of it, ended. */
    public enum Outcome { COMPLETED, INTERRUPTED }

    public boolean verified() {
        return report != null && report.verification().passed();
    }
}
