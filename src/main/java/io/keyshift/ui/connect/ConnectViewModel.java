package io.keyshift.ui.connect;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ClusterConnection;
import io.keyshift.core.cluster.ClusterProbe;
import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The Connect page: a connection string and an optional CA file, tested by probing the cluster's
 * topology. Next is allowed once the connection string as it stands now has been tested. FX thread only.
 */
public final class ConnectViewModel implements WizardPage {

    /** The password part of {@code scheme://user:password@}, for masking. */
    private static final Pattern PASSWORD = Pattern.compile("^([a-zA-Z+]+://[^:@/]*:)([^@/]*)(@)");

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final StringProperty uri = new SimpleStringProperty("");
    private final StringProperty caFile = new SimpleStringProperty("");
    private final BooleanProperty testing = new SimpleBooleanProperty();
    private final ObjectProperty<ClusterReport> report = new SimpleObjectProperty<>();
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanBinding valid;
    private ConnectionProfile tested;

    public ConnectViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        // A report only vouches for the connection it was made with.
        uri.addListener((obs, old, now) -> forgetTest());
        caFile.addListener((obs, old, now) -> forgetTest());
        this.valid = report.isNotNull().and(testing.not());
    }

    private void forgetTest() {
        report.set(null);
        tested = null;
    }

    /** Shows a connection string with its password, if any, replaced by {@code ****}. */
    public static String masked(String uri) {
        return uri == null ? "" : PASSWORD.matcher(uri).replaceFirst("$1****$3");
    }

    /** Connects and probes in the background; the result or one sentence of error lands on the FX thread. */
    public void testConnection() {
        ConnectionProfile profile;
        MongoNamespace keyVault = draft.keyVaultProperty().get();
        try {
            profile = ConnectionProfile.of(uri.get(), caFile.get().isBlank() ? null : Path.of(caFile.get().strip()), null);
        } catch (KeyShiftException e) {
            error.set(e.getMessage());
            return;
        }
        forgetTest();
        error.set("");
        testing.set(true);
        Tasks.start(executor, progress -> probe(profile, keyVault), probed -> {
            testing.set(false);
            tested = profile;
            report.set(probed);
        }, failure -> {
            testing.set(false);
            error.set(failures.sentence(failure));
        });
    }

    /** Runs on a background thread: it waits for the network. */
    private static ClusterReport probe(ConnectionProfile profile, MongoNamespace keyVault) {
        try (MongoClient client = ClusterConnection.open(profile.clientSettings())) {
            return new ClusterProbe(client).probe(keyVault);
        }
    }

    /** Hands the tested connection to the next pages. */
    public void commit() {
        draft.connected(tested, report.get());
    }

    /** Fills the fields, e.g. from a sandbox; the user still tests the connection. */
    public void prefill(String connectionString, Path ca) {
        uri.set(connectionString);
        caFile.set(ca == null ? "" : ca.toString());
    }

    public StringProperty uriProperty() {
        return uri;
    }

    public StringProperty caFileProperty() {
        return caFile;
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing;
    }

    public ReadOnlyObjectProperty<ClusterReport> reportProperty() {
        return report;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
