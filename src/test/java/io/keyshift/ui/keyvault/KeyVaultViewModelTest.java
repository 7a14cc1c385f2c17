package io.keyshift.ui.keyvault;

import com.mongodb.MongoNamespace;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.crypto.CiphertextHeader;
import io.keyshift.core.inspect.InspectReport;
import io.keyshift.core.keyvault.AltNamesIndex;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import io.keyshift.core.scan.FieldUsage;
import io.keyshift.core.scan.KeyUsage;
import io.keyshift.core.scan.NamespaceUsage;
import io.keyshift.core.scan.ScanMode;
import io.keyshift.core.scan.UsageMap;
import io.keyshift.sandbox.SandboxDataKeys;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.Drafts;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class KeyVaultViewModelTest {

    @Test
    void listsTheSeededKeysWithTheirUsesAndSelectsTheLocalOnes(TestStack stack) throws Exception {
        MigrationDraft draft = Drafts.connected(stack.info());
        KeyVaultViewModel viewModel = new KeyVaultViewModel(draft, FxThread.DIRECT, new Failures());

        FxThread.run(viewModel::enter);

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.rows()).extracting(row -> row.key().id())
                .containsExactlyInAnyOrderElementsOf(stack.sandbox().dataKeyIds());
        assertThat(viewModel.rows()).allMatch(row -> row.selectedProperty().get());
        assertThat(viewModel.providerCountsProperty().get()).isEqualTo("6 data keys: 6 local");
        KeyRow pay = viewModel.rows().stream().filter(row -> row.altNames().equals("hr-pay")).findFirst().orElseThrow();
        assertThat(pay.usedBy()).isIn("hr.employees: salary, hireDate", "hr.employees: hireDate, salary");
        assertThat(pay.details()).contains("provider   local", "hr.employees salary (");
        KeyRow spare = viewModel.rows().stream().filter(row -> row.altNames().equals("spare")).findFirst().orElseThrow();
        assertThat(spare.usedBy()).isEqualTo("—");
        assertThat(viewModel.usageRows()).extracting(UsageRow::namespace).contains("hr.employees", "clinic.patients", "clinic.visits");
        assertThat(viewModel.usageRows()).allMatch(UsageRow::inVault);
        assertThat(viewModel.scanSummaryProperty().get()).endsWith("collections, at most 1000 read from each");
        assertThat(viewModel.missingKeysProperty().get()).isEmpty();
        assertThat(viewModel.valid().get()).isTrue();
    }

    @Test
    void searchFiltersAndSelectionIsHandedToTheDraft(TestStack stack) throws Exception {
        MigrationDraft draft = Drafts.connected(stack.info());
        KeyVaultViewModel viewModel = new KeyVaultViewModel(draft, FxThread.DIRECT, new Failures());
        FxThread.run(viewModel::enter);

        FxThread.run(() -> viewModel.searchProperty().set("HR-"));
        assertThat(viewModel.visibleRows()).extracting(KeyRow::altNames).containsExactlyInAnyOrder("hr-ssn", "hr-pay");

        FxThread.run(() -> {
            viewModel.selectNone();
            viewModel.visibleRows().forEach(row -> row.selectedProperty().set(true));
        });
        assertThat(viewModel.selectedCount().get()).isEqualTo(2);
        FxThread.run(viewModel::commit);
        assertThat(draft.selectedKeys()).extracting(key -> key.keyAltNames().get(0)).containsExactlyInAnyOrder("hr-ssn", "hr-pay");

        FxThread.run(viewModel::selectNone);
        assertThat(viewModel.valid().get()).as("nothing to migrate").isFalse();
    }

    @Test
    void reloadKeepsTheKeysTheDbaChose(TestStack stack) throws Exception {
        MigrationDraft draft = Drafts.connected(stack.info());
        KeyVaultViewModel viewModel = new KeyVaultViewModel(draft, FxThread.DIRECT, new Failures());
        FxThread.run(viewModel::enter);
        FxThread.run(() -> {
            viewModel.selectNone();
            viewModel.rows().stream().filter(row -> row.altNames().startsWith("hr-"))
                    .forEach(row -> row.selectedProperty().set(true));
        });

        FxThread.run(viewModel::load);

        assertThat(viewModel.rows()).hasSize(stack.sandbox().dataKeyIds().size());
        assertThat(viewModel.rows()).filteredOn(row -> row.selectedProperty().get()).extracting(KeyRow::altNames)
                .containsExactlyInAnyOrder("hr-ssn", "hr-pay");
        assertThat(viewModel.selectedCount().get()).isEqualTo(2);
    }

    @Test
    void fullScanReadsEveryDocumentWhenAskedTo(TestStack stack) throws Exception {
        KeyVaultViewModel viewModel = new KeyVaultViewModel(Drafts.connected(stack.info()), FxThread.DIRECT, new Failures());

        FxThread.run(() -> {
            viewModel.fullScanProperty().set(true);
            viewModel.enter();
        });

        assertThat(viewModel.reportProperty().get().usage().mode().isFull()).isTrue();
        assertThat(viewModel.scanSummaryProperty().get()).endsWith("collections, every document read");
    }

    @Test
    void exportWritesTheSameJsonAsInspect(TestStack stack, @TempDir Path dir) throws Exception {
        KeyVaultViewModel viewModel = new KeyVaultViewModel(Drafts.connected(stack.info()), FxThread.DIRECT, new Failures());
        FxThread.run(viewModel::enter);
        Path file = dir.resolve("vault.json");

        FxThread.run(() -> viewModel.export(file));

        assertThat(viewModel.exportMessageProperty().get()).isEqualTo("Exported to " + file + ".");
        Document json = Document.parse(Files.readString(file));
        assertThat(json.getList("keys", Document.class)).hasSize(6);
        assertThat(json.get("keyVault", Document.class).getString("namespace")).isEqualTo(SandboxDataKeys.KEY_VAULT_NAMESPACE);
        assertThat(Files.readString(file)).doesNotContain("keyMaterial");
    }

    @Test
    void mistypedNamespaceIsReportedInline(TestStack stack) throws Exception {
        KeyVaultViewModel viewModel = new KeyVaultViewModel(Drafts.connected(stack.info()), FxThread.DIRECT, new Failures());

        FxThread.run(() -> {
            viewModel.namespaceProperty().set("encryption.__keyvault");
            viewModel.load();
        });
        assertThat(viewModel.errorProperty().get()).startsWith("There is no collection encryption.__keyvault on this cluster");

        FxThread.run(() -> {
            viewModel.namespaceProperty().set("keyvault");
            viewModel.load();
        });
        assertThat(viewModel.errorProperty().get()).contains("is not DB.COLLECTION");
        assertThat(viewModel.valid().get()).isFalse();
    }

    @Test
    void keyUsedByDataButMissingFromTheVaultIsAHardWarning() throws Exception {
        UUID present = UUID.fromString("11111111-1111-4111-8111-111111111111");
        UUID lost = UUID.fromString("22222222-2222-4222-8222-222222222222");
        DataKey key = new DataKey(present, List.of("kept"), new MasterKeyRef("local", Map.of()), Instant.EPOCH, Instant.EPOCH, 0);
        UsageMap usage = new UsageMap(ScanMode.DEFAULT, List.of(new NamespaceUsage("shop.orders", 10, List.of(
                new FieldUsage("card", present, 10, Set.of(CiphertextHeader.Algorithm.RANDOM)),
                new FieldUsage("iban", lost, 4, Set.of(CiphertextHeader.Algorithm.DETERMINISTIC))), List.of(), false)));
        ClusterReport cluster = new ClusterReport(ClusterReport.Topology.REPLICA_SET, "rs0", List.of(), "h:1", "7.0",
                "MongoDB", "7.0", List.of(), List.of(), List.of());
        InspectReport report = new InspectReport(cluster, new MongoNamespace("encryption.__keyVault"), List.of(key),
                AltNamesIndex.PRESENT, usage, List.of(), KeyUsage.of(List.of(key), usage, List.of()), Optional.empty());
        KeyVaultViewModel viewModel = new KeyVaultViewModel(new MigrationDraft(), FxThread.DIRECT, new Failures());

        FxThread.run(() -> viewModel.show(report, Map.of()));

        assertThat(viewModel.missingKeysProperty().get())
                .startsWith("1 data key is used by data but missing from the key vault: " + lost + " (shop.orders iban)")
                .contains("cannot be decrypted");
        assertThat(viewModel.usageRows()).filteredOn(row -> !row.inVault()).extracting(UsageRow::key)
                .containsExactly(lost.toString());
    }
}
