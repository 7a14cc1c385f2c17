package io.keyshift.campaign;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.KeyShiftJvm;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 campaign: for each strategy in turn, {@code keyshift migrate} runs in a JVM of its own on
 * a fresh sandbox and is killed with SIGKILL after a random delay; then {@code keyshift resume} runs
 * until the migration is done, itself killed at random now and then. At the end every value is read
 * by an application that knows only the target (the aws provider; for DECRYPT, no KMS at all) and
 * compared with what the local-key application read before, and the key vault holds the right keys.
 * <p>
 * It knows KeyShift only from the outside: the command line, {@code keyshift migrations --json}, and
 * the data in the cluster. Excluded from {@code mvn test} (tag {@code campaign}); run it with
 * {@code mvn test -Dgroups=campaign -DexcludedTestGroups= -Dcampaign.trials=21}. The seed is printed;
 * {@code -Dcampaign.seed=S} replays the same delays.
 */
@Tag("campaign")
class KillNineCampaignTest {

    private static final int TRIALS = Integer.getInteger("campaign.trials", 3);
    private static final long SEED = Long.getLong("campaign.seed", System.currentTimeMillis());
    private static final int DOCUMENTS = Integer.getInteger("campaign.docs", 200);
    /**
     * Kills land anywhere from the JVM's start to about the end of a REKEY or DECRYPT run of the
     * sandbox on a busy two-core machine; REWRAP, one KMS call per key and no document, gets a third.
     */
    private static final long MAX_DELAY_MS = Long.getLong("campaign.maxDelayMs", 30_000);
    /** The chance that a resume is killed too, up to {@link #MAX_RESUME_KILLS} times per trial. */
    private static final double RESUME_KILL_CHANCE = 0.5;
    private static final int MAX_RESUME_KILLS = 2;
    private static final List<String> STRATEGIES = List.of("rewrap", "rekey", "decrypt");

    /** Kept after the run: each trial's sandbox, backups, reports and what every keyshift process printed. */
    private final Path dir = Path.of("target", "campaign", "seed-" + SEED).toAbsolutePath();

    private final Tally tally = new Tally();
    /**
     * The longest delay before a kill, per strategy and command. It starts at the maximum and then
     * follows how long such a process last took to end on its own, so that kills land while it runs
     * however loaded the machine is.
     */
    private final Map<String, Long> delayBounds = new HashMap<>();

    /** What the campaign did, printed at the end. */
    private static final class Tally {
        int trials;
        int kills;
        int killsAfterTheEnd;
        int resumes;
        int resumeKills;
        long valuesChecked;
        final List<String> failures = new ArrayList<>();

        @Override
        public String toString() {
            return String.format("%d trials, %d kills of a running keyshift (%d of them of a resume; %d more delays ran"
                            + " past the end of the process), %d resumes, %d values checked, %d failures",
                    trials, kills, resumeKills, killsAfterTheEnd, resumes, valuesChecked, failures.size());
        }
    }

    @Test
    void everyValueSurvivesSigkillAndResume() {
        System.out.printf("kill -9 campaign: %d trial(s), seed %d, %d documents per collection, delays up to %d ms"
                + " (REWRAP: %d ms)%n", TRIALS, SEED, DOCUMENTS, MAX_DELAY_MS, MAX_DELAY_MS / 3);
        Random random = new Random(SEED);
        for (int trial = 1; trial <= TRIALS; trial++) {
            String strategy = STRATEGIES.get((trial - 1) % STRATEGIES.size());
            long trialSeed = random.nextLong();
            System.out.printf("trial %d: %s, trial seed %d%n", trial, strategy, trialSeed);
            tally.trials++;
            try {
                trial(strategy, new Random(trialSeed), dir.resolve("trial-" + trial));
            } catch (Exception | AssertionError e) {
                String failure = "trial " + trial + " (" + strategy + ", trial seed " + trialSeed + "): " + e;
                System.out.println("  FAILED " + failure);
                tally.failures.add(failure);
            }
        }
        System.out.println("kill -9 campaign, seed " + SEED + ": " + tally + "; what each process printed is in " + dir);
        assertThat(tally.failures).as(tally.toString()).isEmpty();
    }

    private void trial(String strategy, Random random, Path trialDir) throws Exception {
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withDir(trialDir.resolve("sandbox"))
                .withDocuments(DOCUMENTS).withSeed(random.nextInt(1_000_000)), line -> { })) {
            SandboxInfo info = sandbox.info();
            Map<String, List<BsonDocument>> before = SandboxApplications.readDecrypted(SandboxApplications.localOnly(info));
            long values;
            int keys;
            try (MongoClient plain = plainClient(info)) {
                values = ciphertexts(plain);
                keys = (int) keyVault(plain, info).countDocuments();
            }
            KeyShiftJvm keyshift = new KeyShiftJvm(info, trialDir);
            int attempt = 0;
            killAtRandom(keyshift.startOnSandbox(migrate(strategy, info, trialDir, ++attempt).toArray(String[]::new)), strategy,
                    random, "migrate");
            int resumeKills = 0;
            while (true) {
                List<Document> migrations = migrations(keyshift);
                if (!migrations.isEmpty() && "DONE".equals(migrations.get(0).getString("stage"))) {
                    break;
                }
                String command = migrations.isEmpty() ? "migrate" : "resume";
                long started = System.nanoTime();
                KeyShiftJvm.Started next;
                if (migrations.isEmpty()) {
                    System.out.println("  nothing journaled yet: migrate again");
                    next = keyshift.startOnSandbox(migrate(strategy, info, trialDir, ++attempt).toArray(String[]::new));
                } else {
                    tally.resumes++;
                    next = keyshift.startOnSandbox("resume", "--migration", migrations.get(0).getString("id"));
                }
                if (resumeKills < MAX_RESUME_KILLS && random.nextDouble() < RESUME_KILL_CHANCE) {
                    resumeKills++;
                    killAtRandom(next, strategy, random, command);
                } else {
                    int exit = next.waitFor(10, TimeUnit.MINUTES);
                    assertThat(exit).as("exit code of %s, output in %s", next.output().getFileName(), next.output()).isZero();
                    delayBounds.put(strategy + " " + command, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
            }
            check(strategy, info, before, keys);
            tally.valuesChecked += values;
            System.out.printf("  ok: %d values and %d keys checked%n", values, keys);
        }
    }

    /**
     * Sleeps a random delay, then sends SIGKILL if the process still runs. Half the kills of a
     * {@code migrate} count their delay from the line that says the migration is journaled, so that
     * the short write phase of a REWRAP is hit as often as its plan and preflight.
     */
    private void killAtRandom(KeyShiftJvm.Started keyshift, String strategy, Random random, String command)
            throws InterruptedException {
        boolean afterJournaling = command.equals("migrate") && random.nextBoolean();
        String kind = strategy + " " + command + (afterJournaling ? " after journaling" : "");
        long initial = (strategy.equals("rewrap") ? MAX_DELAY_MS / 3 : MAX_DELAY_MS) / (afterJournaling ? 2 : 1);
        // A resume has at most a migrate's work left: until one has been timed, a migrate's time bounds it.
        long bound = delayBounds.getOrDefault(kind, delayBounds.getOrDefault(strategy + " migrate", initial));
        long delay = (long) (random.nextDouble() * bound);
        if (afterJournaling && !keyshift.awaitText(" journaled in ")) {
            tally.killsAfterTheEnd++;
            System.out.printf("  migrate ended (exit %d) before it journaled a migration%n", keyshift.process().exitValue());
            return;
        }
        long started = System.nanoTime();
        boolean ended = keyshift.process().waitFor(delay, TimeUnit.MILLISECONDS);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String when = delay + " ms" + (afterJournaling ? " after it journaled the migration" : "");
        if (!ended && keyshift.kill()) {
            tally.kills++;
            if (command.equals("resume")) {
                tally.resumeKills++;
            }
            System.out.printf("  SIGKILL %s %s%n", command, when);
        } else {
            tally.killsAfterTheEnd++;
            System.out.printf("  %s ended (exit %d) after %d ms, before its kill at %s%n", command,
                    keyshift.process().exitValue(), elapsed, when);
            delayBounds.put(kind, elapsed);
        }
    }

    private List<String> migrate(String strategy, SandboxInfo info, Path trialDir, int attempt) {
        List<String> args = new ArrayList<>(List.of("migrate", "--strategy", strategy, "--yes",
                "--backup", trialDir.resolve("backup-" + attempt + ".json").toString()));
        switch (strategy) {
            case "rewrap" -> args.addAll(List.of("--region", info.aws().region(), "--cmk", info.aws().cmkArn(), "--chunk", "1"));
            case "rekey" -> args.addAll(List.of("--region", info.aws().region(), "--cmk", info.aws().cmkArn(),
                    "--schema-file", info.schemaMapFile().toString(), "--batch", "10", "--workers", "2"));
            default -> args.addAll(List.of("--i-understand-plaintext", "--schema-file", info.schemaMapFile().toString(),
                    "--batch", "10", "--workers", "2"));
        }
        return args;
    }

    /** {@code keyshift migrations --json}, newest first; the newest one's stage is printed. */
    private static List<Document> migrations(KeyShiftJvm keyshift) throws IOException, InterruptedException {
        List<Document> migrations = keyshift.migrations();
        if (!migrations.isEmpty()) {
            System.out.printf("  journal: %s %s%n", migrations.get(0).getString("id"), migrations.get(0).getString("stage"));
        }
        return migrations;
    }

    /** Every value as the target-only application reads it, and the keys the vault must hold. */
    private static void check(String strategy, SandboxInfo info, Map<String, List<BsonDocument>> before, int keys) {
        try (MongoClient plain = plainClient(info)) {
            long aws = keyVault(plain, info).countDocuments(new Document("masterKey.provider", "aws"));
            long total = keyVault(plain, info).countDocuments();
            switch (strategy) {
                case "rewrap" -> {
                    assertThat(total).as("keys in the vault").isEqualTo(keys);
                    assertThat(aws).as("keys under aws").isEqualTo(keys);
                    assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info))).isEqualTo(before);
                }
                case "rekey" -> {
                    assertThat(aws).as("new keys under aws: one per old key, none twice").isEqualTo(keys);
                    assertThat(total).as("keys in the vault: the old ones stay").isEqualTo(2L * keys);
                    assertThat(SandboxApplications.readDecrypted(SandboxApplications.awsOnly(info))).isEqualTo(before);
                }
                default -> {
                    assertThat(total).as("keys in the vault").isEqualTo(keys);
                    assertThat(ciphertexts(plain)).as("ciphertext left").isZero();
                    assertThat(SandboxApplications.readDecrypted(plainClient(info))).isEqualTo(before);
                }
            }
        }
    }

    private static MongoClient plainClient(SandboxInfo info) {
        return MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(info.mongodbUri()))
                .uuidRepresentation(UuidRepresentation.STANDARD).build());
    }

    private static MongoCollection<Document> keyVault(MongoClient client, SandboxInfo info) {
        MongoNamespace vault = new MongoNamespace(info.keyVaultNamespace());
        return client.getDatabase(vault.getDatabaseName()).getCollection(vault.getCollectionName());
    }

    /** Encrypted values (BSON binary subtype 6) anywhere in the sandbox's collections. */
    private static long ciphertexts(MongoClient client) {
        long count = 0;
        for (String ns : SandboxApplications.COLLECTIONS) {
            MongoNamespace namespace = new MongoNamespace(ns);
            for (BsonDocument document : client.getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class).find()) {
                count += ciphertexts(document);
            }
        }
        return count;
    }

    private static long ciphertexts(BsonValue value) {
        if (value.isBinary()) {
            return value.asBinary().getType() == BsonBinarySubType.ENCRYPTED.getValue() ? 1 : 0;
        }
        if (value.isDocument()) {
            return value.asDocument().values().stream().mapToLong(KillNineCampaignTest::ciphertexts).sum();
        }
        if (value.isArray()) {
            return value.asArray().stream().mapToLong(KillNineCampaignTest::ciphertexts).sum();
        }
        return 0;
    }
}
