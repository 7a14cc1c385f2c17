package io.keyshift.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "sandbox", description = "Start a seeded rehearsal sandbox (FerretDB + AWS KMS emulator) on loopback.")
final class SandboxCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.OK;
    }
}
