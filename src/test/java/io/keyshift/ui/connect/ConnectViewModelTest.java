package io.keyshift.ui.connect;

import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import io.keyshift.ui.common.FxThread;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(StackExtension.class)
class ConnectViewModelTest {

    private final MigrationDraft draft = new MigrationDraft();
    private final ConnectViewModel viewModel = new ConnectViewModel(draft, FxThread.DIRECT, new Failures());

    @Test
    void masksThePasswordOfAConnectionString() {
        assertThat(ConnectViewModel.masked("mongodb://admin:s3cr%40t@db1:27017,db2:27017/?replicaSet=rs0"))
                .isEqualTo("mongodb://admin:****@db1:27017,db2:27017/?replicaSet=rs0");
        assertThat(ConnectViewModel.masked("mongodb+srv://app:pw@cluster0.example.net/"))
                .isEqualTo("mongodb+srv://app:****@cluster0.example.net/");
        assertThat(ConnectViewModel.masked("mongodb://127.0.0.1:27017/?replicaSet=rs0"))
                .isEqualTo("mongodb://127.0.0.1:27017/?replicaSet=rs0");
        assertThat(ConnectViewModel.masked("mongodb://certuser@db1/?authMechanism=MONGODB-X509"))
                .isEqualTo("mongodb://certuser@db1/?authMechanism=MONGODB-X509");
    }

    @Test
    void testedConnectionShowsTheTopologyAndAllowsNext(TestStack stack) throws Exception {
        FxThread.run(() -> {
            viewModel.uriProperty().set(stack.info().mongodbUri());
            viewModel.testConnection();
        });

        assertThat(viewModel.errorProperty().get()).isEmpty();
        assertThat(viewModel.reportProperty().get().setName()).isEqualTo("rs0");
        assertThat(viewModel.reportProperty().get().members()).isNotEmpty();
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(viewModel::commit);
        assertThat(draft.connectionProperty().get().hosts()).isEqualTo(stack.info().mongodbUri()
                .replaceFirst("mongodb://", "").replaceFirst("/.*", ""));
        assertThat(draft.clusterProperty().get()).isSameAs(viewModel.reportProperty().get());
    }

    @Test
    void editingTheConnectionStringAfterATestAsksForANewTest(TestStack stack) throws Exception {
        FxThread.run(() -> {
            viewModel.uriProperty().set(stack.info().mongodbUri());
            viewModel.testConnection();
        });
        assertThat(viewModel.valid().get()).isTrue();

        FxThread.run(() -> viewModel.uriProperty().set(stack.info().mongodbUri() + "&appName=other"));

        assertThat(viewModel.reportProperty().get()).isNull();
        assertThat(viewModel.valid().get()).isFalse();
    }

    @Test
    void unreachableHostIsNamedInOneSentence() throws Exception {
        FxThread.run(() -> {
            viewModel.uriProperty().set("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500");
            viewModel.testConnection();
        });

        assertThat(viewModel.errorProperty().get()).startsWith("Could not reach the MongoDB server at 127.0.0.1:1")
                .contains("connection refused").doesNotContain("\n");
        assertThat(viewModel.valid().get()).isFalse();
    }

    @Test
    void malformedConnectionStringIsRefusedInlineWithoutConnecting() throws Exception {
        FxThread.run(() -> {
            viewModel.uriProperty().set("mongodb://admin:hunter2@");
            viewModel.testConnection();
        });

        assertThat(viewModel.errorProperty().get()).startsWith("The connection string is not valid")
                .doesNotContain("hunter2");
        assertThat(viewModel.testingProperty().get()).isFalse();
    }
}
