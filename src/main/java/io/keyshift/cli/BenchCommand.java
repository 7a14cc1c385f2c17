package io.keyshift.cli;

import picocli.CommandLine.Command;

/** {@code keyshift bench}: measurements on a sandbox of its own, printed as figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure KeyShift on a sandbox of its own (never on your cluster).",
        subcommands = {BenchRewrapCommand.class, BenchRekeyCommand.class, BenchIdsCommand.class, BenchAuditCommand.class})
final class BenchCommand {
}
