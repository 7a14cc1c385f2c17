package io.keyshift.ui.schema;

import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.KeyVault;
import io.keyshift.core.schema.DekMapping;
import io.keyshift.core.schema.SchemaWriter;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
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
            new SchemaViewModel(FxThread.DIRECT, new Failures(), new SchemaWriter(Clock.systemUTC()));

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
    void withoutASchemaFileAServerWithoutValidatorsLeavesNothingToRewrite(TestStack stack) throws Exception {
        Assumptions.assumeFalse(stack.supportsServerSideSchema(),
                "the " + stack.name() + " stack has validators, which other tests create in the shared server");
        UUID ssnKey = stack.sandbox().dataKeyIds().get(SandboxDataKeys.HR_SSN);

        FxThread.run(() -> viewModel.load(rekey(stack, new DekMapping(Map.of(ssnKey, UUID.randomUUID()), true),
                Optional.empty())));

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.nothingToRewriteProperty().get()).isTrue();
        assertThat(viewModel.summaryProperty().get()).contains("there is nothing to rewrite");
        assertThat(viewModel.valid().get()).isTrue();
    }
}
