package io.keyshift.ui.schema;

import com.mongodb.MongoNamespace;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.EncryptedField;
import io.keyshift.core.schema.RuleChange;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.core.schema.SchemaPreview.Change;
import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;
import io.keyshift.core.schema.SchemaPreview.SideBySideRow;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SchemaViewModelTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final UUID NOT_MIGRATED = UUID.fromString("22222222-2222-4222-8222-222222222222");
    private static final DekMapping OLD_TO_NEW = new DekMapping(Map.of(OLD, NEW), false);
    private static final MongoNamespace KEY_VAULT = new MongoNamespace("encryption.__keyVault");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T21:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final SchemaViewModel viewModel =
            new SchemaViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures(), new SchemaWriter(CLOCK));

    /** A schema map whose ssn, medical defaults and first history keyId are OLD; the second is another DEK. */
    private Path hrSchemaFile() throws IOException {
        return SchemaJson.write(dir, "schema-map.json", SchemaJson.hrSchemaMap(OLD, OLD, OLD, NOT_MIGRATED));
    }

    private SchemaInputs rekeyOf(Path schemaFile) {
        return SchemaInputs.rekey(Optional.empty(), KEY_VAULT, OLD_TO_NEW, Optional.of(schemaFile), dir);
    }

    private void load(SchemaInputs inputs) throws Exception {
        FxThread.run(() -> viewModel.load(inputs));
    }

    @Test
    void summarisesWhatTheRewriteDoesPerNamespace() throws Exception {
        Path file = hrSchemaFile();

        load(rekeyOf(file));

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.summaryProperty().get()).isEqualTo("Rules in the schema file " + file + ": 3 keyIds"
                + " rewritten in 1 namespace. The keyIds were not checked against the key vault, because no cluster"
                + " was given.");
        assertThat(viewModel.namespaces()).singleElement().satisfies(row -> {
            assertThat(row.namespace()).isEqualTo("hr.employees");
            assertThat(row.source()).isEqualTo("schema file");
            assertThat(row.summary()).contains(new NamespaceSummary("hr.employees", 3, 1, 0, 0));
            assertThat(row.note()).contains("the alt names stay on the old DEKs");
        });
        assertThat(viewModel.nothingToRewriteProperty().get()).isFalse();
    }

    @Test
    void showsEveryLineSideBySideAndTheChangedOnesInTheUnifiedDiff() throws Exception {
        load(rekeyOf(hrSchemaFile()));

        List<SideBySideRow> changed = viewModel.sideBySide().stream().filter(row -> row.change() != Change.EQUAL).toList();
        assertThat(changed).hasSize(3).allSatisfy(row -> {
            assertThat(row.change()).isEqualTo(Change.CHANGED);
            assertThat(row.oldLine()).contains(OLD.toString());
            assertThat(row.newLine()).contains(NEW.toString());
        });
        assertThat(viewModel.sideBySide()).filteredOn(row -> row.change() == Change.EQUAL)
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.newLine()).isEqualTo(row.oldLine()))
                .anySatisfy(row -> assertThat(row.oldLine()).contains(NOT_MIGRATED.toString()));

        assertThat(viewModel.unified()).startsWith(
                new UnifiedLine(UnifiedLine.Kind.FILE_HEADER, "--- before"),
                new UnifiedLine(UnifiedLine.Kind.FILE_HEADER, "+++ after"));
        assertThat(viewModel.unified().get(2).kind()).isEqualTo(UnifiedLine.Kind.HUNK_HEADER);
        assertThat(viewModel.unified()).filteredOn(line -> line.kind() == UnifiedLine.Kind.REMOVED)
                .hasSize(3).allSatisfy(line -> assertThat(line.text()).startsWith("-").contains(OLD.toString()));
        assertThat(viewModel.unified()).filteredOn(line -> line.kind() == UnifiedLine.Kind.ADDED)
                .hasSize(3).allSatisfy(line -> assertThat(line.text()).startsWith("+").contains(NEW.toString()));
    }

    @Test
    void isValidOnlyOnceThePreviewIsReviewedAndEveryNewPreviewMustBeReviewedAgain() throws Exception {
        load(rekeyOf(hrSchemaFile()));

        assertThat(viewModel.valid().get()).isFalse();
        assertThat(viewModel.reviewable().get()).isTrue();
        assertThat(viewModel.applicable().get()).isFalse();

        FxThread.run(() -> viewModel.reviewedProperty().set(true));
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(viewModel.applicable().get()).isTrue();

        FxThread.run(viewModel::refresh);
        assertThat(viewModel.previewProperty().get()).isNotNull();
        assertThat(viewModel.reviewedProperty().get()).isFalse();
        assertThat(viewModel.valid().get()).isFalse();
    }

    @Test
    void applyWritesThePreviewedFileAndKeepsABackupBesideIt() throws Exception {
        Path file = hrSchemaFile();
        String original = Files.readString(file);
        load(rekeyOf(file));
        String proposed = viewModel.previewProperty().get().after();

        FxThread.run(() -> {
            viewModel.reviewedProperty().set(true);
            viewModel.apply();
        });

        Path backup = dir.resolve("schema-map.json.keyshift-backup-20261128T210000Z");
        assertThat(Files.readString(file)).isEqualTo(proposed).contains(SchemaJson.base64(NEW))
                .doesNotContain(SchemaJson.base64(OLD));
        assertThat(Files.readString(backup)).isEqualTo(original);
        assertThat(viewModel.resultProperty().get())
                .isEqualTo("Wrote " + file + ". The file as it was is saved as " + backup + ".");
        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(viewModel.applicable().get()).as("written once, not twice").isFalse();
    }

    @Test
    void refusesAFileChangedSinceThePreviewAndLeavesItAsItIs() throws Exception {
        Path file = hrSchemaFile();
        load(rekeyOf(file));
        String editedMeanwhile = SchemaJson.hrSchemaMap(OLD, OLD, OLD, UUID.randomUUID());
        Files.writeString(file, editedMeanwhile, StandardCharsets.UTF_8);

        FxThread.run(() -> {
            viewModel.reviewedProperty().set(true);
            viewModel.apply();
        });

        assertThat(viewModel.errorProperty().get()).isEqualTo("The schema file " + file + " changed since the preview,"
                + " so nothing was written. Re-open the preview with Refresh preview and review the new diff.");
        assertThat(Files.readString(file)).isEqualTo(editedMeanwhile);
        assertThat(filesIn(dir)).containsExactly(file);
        assertThat(viewModel.resultProperty().get()).isEmpty();
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(viewModel.applicable().get()).isFalse();

        FxThread.run(viewModel::refresh);
        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.reviewable().get()).isTrue();
    }

    @Test
    void aPreviewThatFinishesAfterANewerOneIsDropped() throws Exception {
        Path first = hrSchemaFile();
        Path second = SchemaJson.write(dir, "other-schema-map.json", SchemaJson.hrSchemaMap(OLD, OLD, OLD, OLD));
        List<Runnable> started = new ArrayList<>();
        SchemaViewModel queued = new SchemaViewModel(new MigrationDraft(), started::add, new Failures(), new SchemaWriter(CLOCK));

        FxThread.run(() -> {
            queued.load(rekeyOf(first));
            queued.load(rekeyOf(second));
            started.get(1).run();
            started.get(0).run();
        });

        assertThat(queued.summaryProperty().get()).startsWith("Rules in the schema file " + second + ": 4 keyIds");
        assertThat(queued.loadingProperty().get()).isFalse();
    }

    @Test
    void aFileThatIsNotJsonIsReportedWithLineAndColumnAndNothingIsWritten() throws Exception {
        String notJson = "{\n  \"hr.employees\": oops\n}\n";
        Path file = SchemaJson.write(dir, "schema-map.json", notJson);

        load(rekeyOf(file));

        assertThat(viewModel.errorProperty().get()).startsWith("The schema file " + file + " is not valid JSON:")
                .contains("at line 2, column 19");
        assertThat(viewModel.previewProperty().get()).isNull();
        assertThat(viewModel.namespaces()).isEmpty();
        assertThat(viewModel.sideBySide()).isEmpty();
        assertThat(viewModel.valid().get()).isFalse();
        assertThat(viewModel.reviewable().get()).isFalse();
        assertThat(Files.readString(file)).isEqualTo(notJson);
        assertThat(filesIn(dir)).containsExactly(file);
    }

    @Test
    void withNoSchemaFileAndNoRulesThePageWaitsForAFileOrTheDeclarationThatThereIsNone() throws Exception {
        load(SchemaInputs.rekey(Optional.empty(), KEY_VAULT, OLD_TO_NEW, Optional.empty(), dir));

        assertThat(viewModel.noRulesFoundProperty().get()).isTrue();
        assertThat(viewModel.previewProperty().get()).isNull();
        assertThat(viewModel.valid().get()).isFalse();

        FxThread.run(() -> viewModel.noSchemaMapProperty().set(true));
        assertThat(viewModel.valid().get()).isTrue();

        Path file = hrSchemaFile();
        FxThread.run(() -> viewModel.chooseSchemaFile(file));
        assertThat(viewModel.noRulesFoundProperty().get()).isFalse();
        assertThat(viewModel.schemaFileProperty().get()).isEqualTo(file);
        assertThat(viewModel.changes()).hasSize(3);
        assertThat(viewModel.valid().get()).as("a chosen file's change must be reviewed").isFalse();
    }

    @Test
    void listsEveryChangeWithItsNamespaceFieldAndKeysAndTheConfirmationNamesWhatIsWritten() throws Exception {
        Path file = hrSchemaFile();
        load(rekeyOf(file));

        assertThat(viewModel.changes()).extracting(RuleChange::namespace, RuleChange::fieldPath)
                .containsExactly(tuple("hr.employees", "ssn"), tuple("hr.employees", "medical.encryptMetadata"),
                        tuple("hr.employees", "history"));
        assertThat(viewModel.changes()).allSatisfy(change -> {
            assertThat(change.oldKey().orElseThrow().id()).isEqualTo(OLD);
            assertThat(change.newKey().orElseThrow().id()).isEqualTo(NEW);
        });
        assertThat(viewModel.diffViewProperty().get()).as("the change list is what a DBA sees first")
                .isEqualTo(DiffView.CHANGES);
        assertThat(viewModel.applyConfirmation()).isEqualTo("KeyShift will write the schema file " + file + ": 3 rule"
                + " change(s), each listed under Changes. The file as it is now is saved beside it first. Nothing is"
                + " written if the rules changed since this preview.");
        assertThat(viewModel.applyAction()).isEqualTo("Write 3 rule change(s)");
    }

    @Test
    void rulesThatNameNoMigratedKeyNeedNoReview() throws Exception {
        Path file = SchemaJson.write(dir, "schema-map.json",
                SchemaJson.hrSchemaMap(NOT_MIGRATED, NOT_MIGRATED, NOT_MIGRATED, NOT_MIGRATED));

        load(rekeyOf(file));

        assertThat(viewModel.nothingToRewriteProperty().get()).isTrue();
        assertThat(viewModel.summaryProperty().get()).contains("there is nothing to rewrite");
        assertThat(viewModel.unified()).isEmpty();
        assertThat(viewModel.valid().get()).isTrue();
        assertThat(viewModel.reviewable().get()).isFalse();
    }

    @Test
    void queryableEncryptionIsListedAsNotRewritten() throws Exception {
        Path file = SchemaJson.write(dir, "schema-map.json", """
                {
                  "pay.slips": {"fields": [{"path": "iban", "bsonType": "string", "keyId": %s}]},
                  "hr.staff": {"properties": {"ssn": {"encrypt": {"keyId": [%s], "bsonType": "string"}}}}
                }
                """.formatted(SchemaJson.canonical(OLD), SchemaJson.canonical(OLD)));

        load(rekeyOf(file));

        assertThat(viewModel.namespaces()).extracting(NamespaceRow::namespace, NamespaceRow::source)
                .containsExactly(tuple("hr.staff", "schema file"),
                        tuple("pay.slips", "encryptedFields"));
        assertThat(viewModel.namespaces().get(1).summary()).isEmpty();
        assertThat(viewModel.namespaces().get(1).note()).isEqualTo("Queryable Encryption (fields iban): reported"
                + " only, its keyIds are never rewritten.");
        assertThat(viewModel.previewProperty().get().after()).contains("\"iban\"");
    }

    @Test
    void decryptRemovesTheEncryptBlocksOfTheChosenFields() throws Exception {
        Path file = hrSchemaFile();

        load(SchemaInputs.decrypt(Optional.empty(), KEY_VAULT, Set.of(new EncryptedField("hr.employees", "ssn")),
                Optional.of(file), dir));

        assertThat(viewModel.summaryProperty().get()).contains("1 encrypt block removed in 1 namespace: these fields"
                + " will be written as plaintext.");
        assertThat(viewModel.namespaces().get(0).summary()).contains(new NamespaceSummary("hr.employees", 0, 1, 0, 1));
        assertThat(viewModel.unified()).anySatisfy(line ->
                assertThat(line.kind()).isEqualTo(UnifiedLine.Kind.REMOVED));
    }

    private static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
