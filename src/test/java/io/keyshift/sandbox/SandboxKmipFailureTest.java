package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A KMIP server that cannot start stops the sandbox with a sentence that says how to get a working one. */
class SandboxKmipFailureTest {

    @Test
    void aBrokenPyKmipInstallIsNamedWithHowToReinstallIt(@TempDir Path dir) throws Exception {
        // The real FerretDB and moto, and a PyKMIP virtualenv whose Python cannot import kmip.
        ToolInstaller installed = new ToolInstaller(ToolInstaller.defaultToolsDir(), line -> { });
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (Path tool : new Path[] {installed.ferretDb().getParent(), installed.motoPython().getParent().getParent()}) {
            Files.createSymbolicLink(tools.resolve(tool.getFileName()), tool);
        }
        Path pyKmip = tools.resolve("pykmip-" + ToolInstaller.PYKMIP_VERSION);
        Files.createDirectories(pyKmip.resolve("bin"));
        Files.writeString(pyKmip.resolve("keyshift-install-complete"), "pykmip==" + ToolInstaller.PYKMIP_VERSION + "\n");
        Path python = pyKmip.resolve("bin/python3");
        Files.writeString(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'kmip'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));

        Sandbox.Options options = new Sandbox.Options(dir.resolve("sandbox"), 1, Sandbox.Options.DEFAULT_SEED, tools, null);

        assertThatThrownBy(() -> Sandbox.start(options, line -> { }).close())
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("The sandbox's KMIP server (PyKMIP " + ToolInstaller.PYKMIP_VERSION + ") did not start")
                .hasMessageContaining("No module named 'kmip'")
                .hasMessageContaining("delete " + pyKmip + " and run `keyshift sandbox --install-only`");
    }
}
