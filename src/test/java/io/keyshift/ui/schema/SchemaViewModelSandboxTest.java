package io.keyshift.ui.schema;

import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.RuleChange;
import io.keyshift.core.schema.SchemaJson;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Schema page's reads on the sandbox: its schema-map file, its key vault, its server's collections. */
@ExtendWith(StackExtension.class)
class SchemaViewModelSandboxTest {

    @TempDir
    Path dir;

    private final SchemaViewModel viewModel =
            new SchemaViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures(), new SchemaWriter(Clock.systemUTC()));

    private SchemaInputs rekey(TestStack stack, DekMapping mapping, Optional<Path> schemaFile) {
        return SchemaInputs.rekey(Optional.of(ConnectionProfile.of(stack.info().mongodbUri())),
                KeyVault.namespace(stack.info().keyVaultNamespace()), mapping, schemaFile, dir);
    }

    @Test
    void namesTheNewKeyIdsThatNoDataKeyInTheKeyVaultHas(TestStack stack) throws Exception {
        // A copy, so the shared sandbox file stays as seeded for every other test.
        Path file = Files.copy(stack.info().schemaMapFile(), dir.resolve("schema-map.json"));
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        UUID notCreated = UUID.randomUUID();

        FxThread.run(() -> viewModel.load(rekey(stack, new DekMapping(Map.of(ssnKey, notCreated), true),
                Optional.of(file))));

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.summaryProperty().get()).startsWith("Rules in the schema file " + file + ": 1 keyId")
                .doesNotContain("not checked against the key vault");
        assertThat(viewModel.namespaces()).filteredOn(row -> row.namespace().equals("hr.employees")).singleElement()
                .satisfies(row -> {
                    assertThat(row.summary().orElseThrow().unknownKeyIds()).isEqualTo(1);
                    assertThat(row.note()).contains("naming no DEK in the key vault").contains(notCreated.toString());
                });
        assertThat(viewModel.namespaces()).filteredOn(row -> !row.namespace().equals("hr.employees"))
                .allSatisfy(row -> assertThat(row.note()).doesNotContain("naming no DEK"));
    }

    @Test
    void onAHandConnectedClusterTheChosenSchemaFileIsRewrittenAndWithoutOneTheDbaMustSayThereIsNone(TestStack stack)
            throws Exception {
        Assumptions.assumeFalse(stack.supportsServerSideSchema(),
                "the " + stack.name() + " stack has validators, which other tests create in the shared server");
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);
        UUID spareKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.SPARE);
        Path file = Files.copy(stack.info().schemaMapFile(), dir.resolve("schema-map.json"));

        FxThread.run(() -> viewModel.load(rekey(stack, new DekMapping(Map.of(ssnKey, spareKey), false), Optional.empty())));

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.noRulesFoundProperty().get()).isTrue();
        assertThat(viewModel.summaryProperty().get()).contains("Choose the applications' schema-map file, or tick");
        assertThat(viewModel.valid().get()).as("neither a file nor \"no schema map\": cannot continue").isFalse();
        FxThread.run(() -> viewModel.noSchemaMapProperty().set(true));
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(() -> viewModel.chooseSchemaFile(file));

        assertThat(viewModel.noSchemaMapProperty().get()).isFalse();
        assertThat(viewModel.changes()).extracting(RuleChange::text)
                .containsExactly("hr.employees  ssn  " + ssnKey + " (hr-ssn) → " + spareKey + " (spare)");
        assertThat(viewModel.sideBySide()).anySatisfy(row -> assertThat(row.oldLine())
                .contains("{\"$uuid\": \"" + ssnKey + "\"}").endsWith("// hr-ssn"));
        assertThat(viewModel.valid().get()).as("the diff is not reviewed yet").isFalse();
        assertThat(viewModel.applyConfirmation()).startsWith("KeyShift will write the schema file " + file
                + ": 1 rule change(s)");
        FxThread.run(() -> {
            viewModel.reviewedProperty().set(true);
            viewModel.apply();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(Files.readString(file)).contains(SchemaJson.base64(spareKey)).doesNotContain(SchemaJson.base64(ssnKey));
        assertThat(viewModel.valid().get()).isTrue();
    }
}
