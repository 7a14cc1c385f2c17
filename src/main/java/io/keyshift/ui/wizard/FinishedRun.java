package io.keyshift.ui.wizard;

import io.keyshift.core.migrate.MigrationReport;

import java.nio.file.Path;

/** A migration run to its end: what verification found, and where the HTML report is. */
public record FinishedRun(MigrationReport report, Path reportHtml) {
}
