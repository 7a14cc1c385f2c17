package io.keyshift.ui.welcome;

import io.keyshift.sandbox.Sandbox;

import java.util.function.Consumer;

/** Starts a sandbox; the app uses the real one, tests give it a directory of their own. */
@FunctionalInterface
public interface SandboxLauncher {

    /** Runs on a background thread; reports progress lines as it installs, starts and seeds. */
    Sandbox start(Consumer<String> progress);

    static SandboxLauncher withOptions(Sandbox.Options options) {
        return progress -> Sandbox.start(options, progress);
    }
}
