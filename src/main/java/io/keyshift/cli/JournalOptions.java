package io.keyshift.cli;

import io.keyshift.core.migrate.Migrations;
import picocli.CommandLine.Option;

/** Where the migration journal is: a collection next to the key vault. Shared by the commands that read or write it. */
final class JournalOptions {

    @Option(names = "--journal-collection", paramLabel = "NAME",
            description = "Journal collection next to the key vault (default: ${DEFAULT-VALUE}).")
    String collection = Migrations.DEFAULT_JOURNAL_COLLECTION;
}
