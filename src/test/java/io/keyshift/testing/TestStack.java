package io.keyshift.testing;

import io.keyshift.sandbox.SandboxInfo;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * A running MongoDB-compatible server and AWS KMS emulator, seeded like {@code keyshift sandbox},
 * shared by every test of a run. Inject it with {@code @ExtendWith(StackExtension.class)} and a
 * {@code TestStack} parameter.
 */
public interface TestStack {

    /** The seeded sandbox: URIs, key files, the CMK, the two IAM users' credentials. */
    SandboxInfo info();

    /** The directory holding {@code sandbox.json}, the key files and the CA. */
    Path dir();

    /** The running sandbox: its seeded DEK ids, its summary, whether its servers run. */
    io.keyshift.sandbox.Sandbox sandbox();

    /** "local (FerretDB + moto)" or "docker (MongoDB + moto)". */
    String name();

    /** True where the server implements collMod, {@code $jsonSchema} validators and partial indexes. */
    boolean supportsServerSideSchema();

    /** Skips the calling test, by name, with a one-line reason, where the server lacks collMod and validators. */
    default void assumeServerSideSchema() {
        Assumptions.assumeTrue(supportsServerSideSchema(),
                "skipped on the " + name() + " stack: it has no collMod, $jsonSchema validators or partial"
                + " indexes; this test runs on the Docker stack");
    }
}
