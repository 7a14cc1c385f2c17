package io.keyshift.ui.target;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.kms.KmsTarget;
import io.keyshift.core.kms.LocalMasterKey;
import io.keyshift.core.kms.LocalProvider;
import io.keyshift.ui.common.FxmlLoaderFactory;
import io.keyshift.ui.common.Tasks;
import io.keyshift.ui.error.Failures;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;

/**
 * The local form of the Target KMS page: the new local master key file, chosen or created here (96 random
 * bytes, owner-only, never over an existing file). FX thread only.
 */
public final class LocalTargetForm implements TargetForm {

    private static final ResourceBundle MESSAGES = FxmlLoaderFactory.messages();

    private final Executor executor;
    private final Failures failures;
    private final StringProperty keyFile = new SimpleStringProperty("");
    private final StringProperty created = new SimpleStringProperty("");

    LocalTargetForm(Executor executor, Failures failures) {
        this.executor = executor;
        this.failures = failures;
    }

    /** Writes a new key file in the background; once written, it is the form's file. */
    public void createKeyFile(Path file) {
        created.set("");
        Tasks.start(executor, progress -> {
            LocalMasterKey.generate(file);
            return file;
        }, written -> {
            keyFile.set(written.toString());
            created.set(MessageFormat.format(MESSAGES.getString("target.local.created"), written));
        }, failure -> created.set(failures.sentence(failure)));
    }

    @Override
    public Building target() {
        if (keyFile.get().isBlank()) {
            throw new KeyShiftException(MESSAGES.getString("target.local.missing"));
        }
        Path file = Path.of(keyFile.get().strip());
        return () -> KmsTarget.local(LocalProvider.load(file));
    }

    @Override
    public List<Observable> fields() {
        return List.of(keyFile);
    }

    public StringProperty keyFileProperty() {
        return keyFile;
    }

    /** What became of the last new key file: where it was written, or why not. */
    public ReadOnlyStringProperty createdProperty() {
        return created;
    }
}
