package io.keyshift.core.kms;

import io.keyshift.core.kms.KmsCheck.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LocalTargetCheckTest {

    @TempDir
    Path dir;

    /** The checks of a local target need no cluster. */
    private final TargetChecks targetChecks = new TargetChecks(null, null);

    private Path keyFile(String name, int seed, String permissions) throws Exception {
        byte[] key = new byte[96];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 3 + seed);
        }
        Path file = Files.write(dir.resolve(name), key);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void aNewOwnerOnlyKeyThatDiffersFromTheSourcePasses() throws Exception {
        Path newFile = keyFile("new.key", 1, "rw-------");
        try (LocalProvider source = LocalProvider.load(keyFile("old.key", 2, "rw-------"));
             LocalProvider target = LocalProvider.load(newFile)) {
            KmsCheckReport report = targetChecks.run(KmsTarget.local(target), List.of(source));

            assertThat(report.checks()).extracting(KmsCheck::name, KmsCheck::status).containsExactly(
                    tuple(LocalTargetCheck.KEY_FILE, Status.OK),
                    tuple(LocalTargetCheck.OWNER_ONLY, Status.OK),
                    tuple(LocalTargetCheck.NEW_KEY, Status.OK));
            assertThat(report.passed()).isTrue();
            assertThat(report.target()).isEqualTo("local (key file " + newFile + ")");
            assertThat(report.toJson()).contains("\"keyFile\": \"" + newFile + "\"").contains("\"check\": \"new_key\"");
        }
    }

    @Test
    void theSourceKeyAgainFailsSayingHowToMakeANewOne() throws Exception {
        Path oldFile = keyFile("old.key", 2, "rw-------");
        try (LocalProvider source = LocalProvider.load(oldFile);
             LocalProvider target = LocalProvider.load(keyFile("copy.key", 2, "rw-------"))) {
            KmsCheckReport report = targetChecks.run(KmsTarget.local(target), List.of(source));

            assertThat(report.check(LocalTargetCheck.NEW_KEY).orElseThrow().message()).isEqualTo("The new key file"
                    + " holds the same key as local (key file " + oldFile + "): rotating to it would change nothing."
                    + " Make a new key file with keyshift local-key new FILE and give that one.");
            assertThat(report.passed()).isFalse();
        }
    }

    @Test
    void aKeyDifferingOnlyInItsLastThirtyTwoBytesIsTheSameKey() throws Exception {
        Path oldFile = keyFile("old.key", 2, "rw-------");
        byte[] almost = Files.readAllBytes(oldFile);
        almost[95] ^= 1;
        Path newFile = Files.write(dir.resolve("almost.key"), almost);
        try (LocalProvider source = LocalProvider.load(oldFile); LocalProvider target = LocalProvider.load(newFile)) {
            KmsCheck newKey = targetChecks.run(KmsTarget.local(target), List.of(source))
                    .check(LocalTargetCheck.NEW_KEY).orElseThrow();

            assertThat(newKey.status()).isEqualTo(Status.FAIL);
            assertThat(newKey.message()).contains("(only its last 32 bytes, which never wrap a data key, differ)");
        }
    }

    @Test
    void aKeyFileOthersMayReadIsAWarningWithTheFix() throws Exception {
        Path newFile = keyFile("shared.key", 1, "rw-r--r--");
        try (LocalProvider target = LocalProvider.load(newFile)) {
            KmsCheckReport report = targetChecks.run(KmsTarget.local(target), List.of());

            assertThat(report.check(LocalTargetCheck.OWNER_ONLY).orElseThrow()).isEqualTo(new KmsCheck(
                    LocalTargetCheck.OWNER_ONLY, Status.WARN, "Others than its owner may read or write " + newFile
                    + ": run chmod 600 " + newFile + " before the key wraps any data key."));
            assertThat(report.check(LocalTargetCheck.NEW_KEY).orElseThrow().status()).isEqualTo(Status.SKIPPED);
            assertThat(report.passed()).isTrue();
        }
    }
}
