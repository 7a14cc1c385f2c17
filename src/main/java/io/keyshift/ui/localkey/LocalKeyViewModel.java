package io.keyshift.ui.localkey;

import com.mongodb.MongoNamespace;
import io.keyshift.core.KeyShiftException;
import io.keyshift.core.cluster.ConnectionProfile;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.LocalKeyPreflight;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.PreflightReport;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import io.keyshift.ui.wizard.MigrationDraft;
import io.keyshift.ui.wizard.WizardPage;
import javafx.beans.binding.Bindings;
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
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Local key page: loads the key file, then proves that every selected data key decrypts under it.
 * Next only when all of them do. FX thread only.
 */
public final class LocalKeyViewModel implements WizardPage {

    private final MigrationDraft draft;
    private final Executor executor;
    private final Failures failures;
    private final StringProperty keyFile = new SimpleStringProperty("");
    private final StringProperty keyError = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final BooleanProperty checking = new SimpleBooleanProperty();
    private final ObjectProperty<PreflightReport> report = new SimpleObjectProperty<>();
    private final ObservableList<PreflightRow> rows = FXCollections.observableArrayList();
    private final BooleanBinding valid;

    public LocalKeyViewModel(MigrationDraft draft, Executor executor, Failures failures) {
        this.draft = draft;
        this.executor = executor;
        this.failures = failures;
        keyFile.addListener((obs, old, now) -> forgetCheck());
        valid = Bindings.createBooleanBinding(() -> !checking.get() && report.get() != null && !rows.isEmpty()
                && rows.stream().allMatch(row -> row.outcome() == KeyCheck.Outcome.OK), checking, report, rows);
    }

    private void forgetCheck() {
        report.set(null);
        keyError.set("");
        summary.set("");
        rows.setAll(draft.selectedKeys().stream().map(PreflightRow::pending).toList());
    }

    /** Called when the page shows: lists the selected keys, and checks them when a key file is already named. */
    @Override
    public void enter() {
        forgetCheck();
        if (!keyFile.get().isBlank()) {
            check();
        }
    }

    /** A file chosen or dropped: remember it and check it. */
    public void useKeyFile(Path file) {
        keyFile.set(file.toString());
        check();
    }

    /** Loads the key and runs the preflight in the background; the key is handed to the draft only if every key passes. */
    public void check() {
        if (keyFile.get().isBlank()) {
            keyError.set("Choose the local master key file: the 96-byte key (or its base64 text) the data keys were made with.");
            return;
        }
        Path file = Path.of(keyFile.get().strip());
        List<DataKey> keys = List.copyOf(draft.selectedKeys());
        ConnectionProfile connection = draft.connectionProperty().get();
        MongoNamespace keyVault = draft.keyVaultProperty().get();
        forgetCheck();
        error.set("");
        checking.set(true);
        Tasks.start(executor, progress -> preflight(file, keys, connection, keyVault), this::checked, failure -> {
            checking.set(false);
            if (failure instanceof InvalidKeyFile invalid) {
                keyError.set(invalid.getMessage());
            } else {
                error.set(failures.sentence(failure));
            }
        });
    }

    /** A key file the user must fix: shown inline, next to the field. */
    private static final class InvalidKeyFile extends KeyShiftException {
        InvalidKeyFile(KeyShiftException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private record Checked(LocalMasterKey key, PreflightReport report) {
    }

    /** Runs on a background thread: reads the file, then asks the cluster for each key. */
    private static Checked preflight(Path file, List<DataKey> keys, ConnectionProfile connection, MongoNamespace keyVault) {
        LocalMasterKey key;
        try {
            key = LocalMasterKey.load(file);
        } catch (KeyShiftException e) {
            throw new InvalidKeyFile(e);
        }
        try {
            return new Checked(key, new LocalKeyPreflight(connection.clientSettings(), keyVault).check(key, keys));
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    private void checked(Checked result) {
        checking.set(false);
        Map<UUID, KeyCheck> byId = result.report().checks().stream().collect(Collectors.toMap(KeyCheck::keyId, Function.identity()));
        rows.setAll(rows.stream().map(row -> {
            KeyCheck check = byId.get(row.key().id());
            return new PreflightRow(row.key(), check.outcome(), check.reason());
        }).toList());
        report.set(result.report());
        long ok = result.report().count(KeyCheck.Outcome.OK);
        summary.set(ok + " of " + rows.size() + " selected data keys decrypt under this key."
                + (valid.get() ? "" : " A key that does not decrypt cannot be migrated: choose the key file these"
                   + " data keys were made with, or go Back and leave the failing keys out."));
        if (valid.get()) {
            draft.localKey(result.key());
        } else {
            // A key that failed must not stand in the draft for one that passed earlier.
            draft.localKey(null);
            result.key().destroy();
        }
    }

    public StringProperty keyFileProperty() {
        return keyFile;
    }

    public ReadOnlyStringProperty keyErrorProperty() {
        return keyError;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyBooleanProperty checkingProperty() {
        return checking;
    }

    public ReadOnlyObjectProperty<PreflightReport> reportProperty() {
        return report;
    }

    public ObservableList<PreflightRow> rows() {
        return rows;
    }

    @Override
    public BooleanBinding valid() {
        return valid;
    }
}
