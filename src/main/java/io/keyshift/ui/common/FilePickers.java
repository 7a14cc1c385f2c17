package io.keyshift.ui.common;

import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ResourceBundle;

/** The file choosers the pages open, with their titles and filters in one place. */
public final class FilePickers {

    private FilePickers() {
    }

    /** A PEM file of certificate authorities. */
    public static Optional<Path> openPem(Window owner) {
        return open(owner, "filechooser.ca.title", new FileChooser.ExtensionFilter("PEM", "*.pem", "*.crt", "*.cer"));
    }

    /** A local master key file (96 raw bytes or their base64 text; any name). */
    public static Optional<Path> openKeyFile(Window owner) {
        return open(owner, "filechooser.localKey.title", null);
    }

    /** The applications' schema-map file (JSON). */
    public static Optional<Path> openSchemaMap(Window owner) {
        return open(owner, "filechooser.schema.title", new FileChooser.ExtensionFilter("JSON", "*.json"));
    }

    /** Where to write a new local master key file; the system asks before it names an existing file. */
    public static Optional<Path> newKeyFile(Window owner) {
        FileChooser chooser = chooser("filechooser.newKey.title", null);
        chooser.setInitialFileName("new-master-key.bin");
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    /** A PEM file with a client certificate and its private key. */
    public static Optional<Path> openClientCertificate(Window owner) {
        return open(owner, "filechooser.clientCertificate.title", new FileChooser.ExtensionFilter("PEM", "*.pem"));
    }

    /** A Google Cloud service account's JSON key file. */
    public static Optional<Path> openServiceAccountKey(Window owner) {
        return open(owner, "filechooser.serviceAccountKey.title", new FileChooser.ExtensionFilter("JSON", "*.json"));
    }

    public static Optional<Path> saveJson(Window owner, String suggestedName) {
        FileChooser chooser = chooser("filechooser.export.title", new FileChooser.ExtensionFilter("JSON", "*.json"));
        chooser.setInitialFileName(suggestedName);
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    private static Optional<Path> open(Window owner, String titleKey, FileChooser.ExtensionFilter filter) {
        return Optional.ofNullable(chooser(titleKey, filter).showOpenDialog(owner)).map(File::toPath);
    }

    private static FileChooser chooser(String titleKey, FileChooser.ExtensionFilter filter) {
        ResourceBundle messages = FxmlLoaderFactory.messages();
        FileChooser chooser = new FileChooser();
        chooser.setTitle(messages.getString(titleKey));
        if (filter != null) {
            chooser.getExtensionFilters().addAll(filter, new FileChooser.ExtensionFilter(messages.getString("filechooser.all"), "*"));
        }
        return chooser;
    }
}
