package io.keyshift.ui.wizard;

import io.keyshift.core.migrate.Strategy;

/** A migration journaled in the cluster, which the Run page runs or resumes. */
public record StartedMigration(String id, Strategy strategy) {
}
