package io.keyshift.cli;

import com.mongodb.MongoNamespace;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.crypto.Ciphertexts;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.MigratorSandbox;
import io.keyshift.testing.SandboxApplications;
import org.bson.BsonDocument;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every source → target pair of the sandbox's providers through {@code keyshift migrate --to …} as a DBA
 * types it: REWRAP for all 25 pairs of local, aws, azure, gcp and kmip, rotations to the same type included
 * (local → a new key file, aws → the next CMK, azure and gcp → their next key, kmip → a new KMIP key), and
 * REKEY for seven. Each ends with an application built from the target's settings alone reading every
 * document back exactly as an application of the source read it before. One sandbox serves them all, put
 * back as seeded before each pair.
 */
class ProviderMatrixTest {

    /** Few documents: the pairs are many, and what is checked is where the keys went, not volume. */
    private static final int DOCUMENTS = 3;

    @TempDir
    Path dir;

    @RegisterExtension
    static final MigratorSandbox stack = MigratorSandbox.sharedByTheClass(DOCUMENTS);

    static Stream<Arguments> everyPair() {
        return Stream.of(SandboxProvider.values())
                .flatMap(source -> Stream.of(SandboxProvider.values()).map(target -> Arguments.of(source, target)));
    }

    @ParameterizedTest(name = "REWRAP {0} → {1}")
    @MethodSource("everyPair")
    void rewrapPutsEveryKeyUnderTheTargetAndEveryValueReadsWithTheTargetAlone(SandboxProvider source,
                                                                               SandboxProvider target) {
        Migrated migrated = migrate("rewrap", source, target);

        List<BsonDocument> keys = keyVault();
        assertThat(keys).extracting(ProviderMatrixTest::id).as("REWRAP keeps every key id")
                .containsExactlyInAnyOrderElementsOf(migrated.keysBefore().keySet());
        assertThat(keys).allSatisfy(key -> assertUnderTarget(key, source, target, migrated.keysBefore()));
        assertThat(migrated.readByTarget()).isEqualTo(migrated.readBySource());
        if (source == SandboxProvider.LOCAL && target == SandboxProvider.LOCAL) {
            assertThatThrownBy(() -> SandboxApplications.readDecrypted(SandboxApplications.localOnly(info())))
                    .as("the old key file no longer opens the rotated keys").isInstanceOf(com.mongodb.MongoException.class);
        }
    }

    @ParameterizedTest(name = "REKEY {0} → {1}")
    @CsvSource({"LOCAL, KMIP", "AWS, AWS", "LOCAL, LOCAL", "LOCAL, AZURE", "LOCAL, GCP", "AZURE, AWS", "GCP, KMIP"})
    void rekeyEncryptsEveryValueUnderNewKeysOfTheTarget(SandboxProvider source, SandboxProvider target) {
        Migrated migrated = migrate("rekey", source, target);

        List<BsonDocument> newKeys = keyVault().stream()
                .filter(key -> !migrated.keysBefore().containsKey(id(key))).toList();
        assertThat(newKeys).as("one new key per old key").hasSize(migrated.keysBefore().size());
        assertThat(newKeys).allSatisfy(key -> assertUnderTarget(key, source, target, migrated.keysBefore()));
        assertThat(keyIdsInCiphertext()).as("every value is encrypted under a new key")
                .isNotEmpty()
                .isSubsetOf(newKeys.stream().map(ProviderMatrixTest::id).collect(Collectors.toSet()));
        assertThat(migrated.readByTarget()).isEqualTo(migrated.readBySource());
    }

    /** What a migration changed, and what the source's and the target's applications read around it. */
    private record Migrated(Map<UUID, BsonDocument> keysBefore,
                            Map<String, List<BsonDocument>> readBySource,
                            Map<String, List<BsonDocument>> readByTarget) {
    }

    private Migrated migrate(String strategy, SandboxProvider source, SandboxProvider target) {
        source.putSeededKeysUnder(info(), stack.settings());
        Map<String, List<BsonDocument>> readBySource =
                SandboxApplications.readDecrypted(source.application(info(), info().localKeyFile()));
        Map<UUID, BsonDocument> keysBefore = keyVault().stream()
                .collect(Collectors.toMap(ProviderMatrixTest::id, key -> key.getDocument("masterKey")));
        Path newLocalKey = dir.resolve("new-local-master-key.bin");
        if (target == SandboxProvider.LOCAL) {
            CliRun created = CliRun.keyshift("local-key", "new", newLocalKey.toString());
            assertThat(created.exitCode()).as(created.out() + created.err()).isEqualTo(ExitCodes.OK);
        }

        Map<String, String> environment = new HashMap<>(source.environment(info()));
        environment.putAll(target.environment(info()));
        CliRun run = CliRun.keyshift(environment, arguments(strategy, source, target, newLocalKey).toArray(String[]::new));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsIgnoringCase("verified")
                .as("the settings applications deploy name the target's provider")
                .contains("Settings your applications need now", "'" + target.wireName() + "': ");
        return new Migrated(keysBefore, readBySource,
                SandboxApplications.readDecrypted(target.application(info(), newLocalKey)));
    }

    private List<String> arguments(String strategy, SandboxProvider source, SandboxProvider target, Path newLocalKey) {
        List<String> args = new ArrayList<>(List.of("migrate", "--strategy", strategy, "--yes",
                "--uri", info().mongodbUri(), "--backup", dir.resolve("backup.json").toString(),
                "--report", dir.resolve("reports").toString()));
        if (strategy.equals("rekey")) {
            args.addAll(List.of("--schema-file", info().schemaMapFile().toString()));
        }
        args.addAll(List.of("--source-provider", source.wireName()));
        args.addAll(source.options(info()));
        args.addAll(target.targetOptions(info(), source, newLocalKey));
        return args;
    }

    /** The key's masterKey names the target under its plain name, with the target's key and not the source's. */
    private void assertUnderTarget(BsonDocument key, SandboxProvider source, SandboxProvider target,
                                   Map<UUID, BsonDocument> keysBefore) {
        BsonDocument masterKey = key.getDocument("masterKey");
        assertThat(masterKey.getString("provider").getValue()).isEqualTo(target.wireName());
        switch (target) {
            case AWS -> assertThat(masterKey.getString("key").getValue())
                    .isEqualTo(SandboxProvider.targetCmk(info(), source));
            case KMIP -> assertThat(masterKey.getString("keyId").getValue())
                    .as("a KMIP key of its own, not one the source used")
                    .isNotIn(keysBefore.values().stream().filter(before -> before.containsKey("keyId"))
                            .map(before -> before.getString("keyId").getValue()).toList());
            case LOCAL -> assertThat(masterKey.keySet()).containsExactly("provider");
            case AZURE, GCP -> assertThat(masterKey.getString("keyName").getValue())
                    .isEqualTo(target.targetKeyName(info(), source));
        }
    }

    private List<BsonDocument> keyVault() {
        MongoNamespace vault = new MongoNamespace(info().keyVaultNamespace());
        return stack.client().getDatabase(vault.getDatabaseName())
                .getCollection(vault.getCollectionName(), BsonDocument.class).find().into(new ArrayList<>());
    }

    /** The data key ids the ciphertext in the sandbox's collections names. */
    private Set<UUID> keyIdsInCiphertext() {
        Set<UUID> ids = new HashSet<>();
        for (String ns : SandboxApplications.COLLECTIONS) {
            MongoNamespace namespace = new MongoNamespace(ns);
            stack.client().getDatabase(namespace.getDatabaseName())
                    .getCollection(namespace.getCollectionName(), BsonDocument.class).find()
                    .forEach(document -> Ciphertexts.forEach(document,
                            (path, ciphertext) -> ids.add(CiphertextHeader.parse(ciphertext).keyId())));
        }
        return ids;
    }

    private static UUID id(BsonDocument key) {
        return key.getBinary("_id").asUuid();
    }

    private SandboxInfo info() {
        return stack.info();
    }
}
