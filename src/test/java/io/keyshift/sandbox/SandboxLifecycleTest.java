package io.keyshift.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxLifecycleTest {

    @Test
    void closingTheSandboxLeavesNoServerProcessBehind(@TempDir Path dir) {
        List<ProcessHandle> servers = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(dir).withDocuments(5), line -> { })) {
            assertThat(sandbox.isRunning()).isTrue();
            ProcessHandle.current().descendants().forEach(servers::add);
            assertThat(servers).as("FerretDB, moto and PyKMIP run as children of KeyShift").hasSizeGreaterThanOrEqualTo(3);
        }

        assertThat(servers).noneMatch(ProcessHandle::isAlive);
    }
}
