package io.keyshift.testing;

import io.keyshift.sandbox.SandboxInfo;
import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CLI in a JVM of its own, as a shell starts it, against a sandbox: a process that can be killed
 * with SIGKILL at any instruction. The migrator's AWS keys are in its environment, as a user's would
 * be; what it prints goes to a file of its own under the work directory. {@code env --default-signal=INT}
 * undoes an inherited "ignore SIGINT" (background jobs of a non-interactive shell start so), so that
 * Ctrl-C reaches it as it would from a terminal.
 */
public final class KeyShiftJvm {

    private final SandboxInfo info;
    private final Path dir;
    private final AtomicInteger started = new AtomicInteger();

    public KeyShiftJvm(SandboxInfo info, Path dir) {
        this.info = info;
        this.dir = dir;
    }

    /** A started {@code keyshift} process and the file that receives its stdout and stderr. */
    public record Started(Process process, Path output) {

        /** Waits for the end; returns the exit code. */
        public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            if (!process.waitFor(timeout, unit)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("keyshift did not end within " + timeout + " " + unit + "; its output: " + output);
            }
            return process.exitValue();
        }

        /** SIGKILL (what {@code destroyForcibly} sends on Linux and macOS); true when the process was still running. */
        public boolean kill() throws InterruptedException {
            boolean alive = process.isAlive();
            process.destroyForcibly().waitFor();
            return alive;
        }

        /** Waits until the output holds {@code text}; false if the process ends first. */
        public boolean awaitText(String text) throws InterruptedException {
            while (process.isAlive()) {
                if (text().contains(text)) {
                    return true;
                }
                Thread.sleep(20);
            }
            return text().contains(text);
        }

        public String text() {
            try {
                return Files.readString(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The options of {@code migrate} and {@code resume} that point at the sandbox: cluster, local key, KMS, reports. */
    public List<String> sandboxOptions() {
        return List.of("--uri", info.mongodbUri(), "--local-key", info.localKeyFile().toString(),
                "--endpoint", info.aws().endpoint(), "--kms-ca-file", info.aws().caFile().toString(),
                "--report", dir.resolve("reports").toString());
    }

    /** Starts {@code keyshift} with exactly these arguments. */
    public Started start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dkeyshift.logDir=" + dir.resolve("logs"),
                "io.keyshift.Launcher"));
        command.addAll(args);
        Path output = dir.resolve("keyshift-" + started.incrementAndGet() + "-" + args.get(0) + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", info.aws().migrator().accessKeyId());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", info.aws().migrator().secretAccessKey());
        return new Started(builder.start(), output);
    }

    /** {@code keyshift migrations --json}, newest first. */
    public List<Document> migrations() throws IOException, InterruptedException {
        Started listing = start(List.of("migrations", "--uri", info.mongodbUri(), "--json"));
        int exit = listing.waitFor(5, TimeUnit.MINUTES);
        String text = listing.text();
        if (exit != 0) {
            throw new AssertionError("keyshift migrations ended with exit code " + exit + ":\n" + text);
        }
        return Document.parse(text.substring(text.indexOf('{'))).getList("migrations", Document.class);
    }

    /** Starts {@code keyshift} with these arguments followed by {@link #sandboxOptions()}. */
    public Started startOnSandbox(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(sandboxOptions());
        return start(all);
    }
}
