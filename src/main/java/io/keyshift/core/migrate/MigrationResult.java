package io.keyshift.core.migrate;

import io.keyshift.core.report.MigrationReport;

import java.nio.file.Path;

/**
 * How a run of any strategy ended: interrupted between chunks or batches (resumable, no report yet),
 * or completed, with what verification found and where the report is.
 */
public record MigrationResult(Outcome outcome, MigrationRecord migration, MigrationReport report, Path reportHtml) {

    /** How a run, or one pass of it, ended. */
    public enum Outcome { COMPLETED, INTERRUPTED }

    public boolean verified() {
        return report != null && report.verification().passed();
    }
}
