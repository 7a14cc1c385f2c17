package io.keyshift.ui.about;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.Version;
import io.keyshift.core.kms.Libmongocrypt;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/** About KeyShift: the version, the bundled libmongocrypt, the licences of what it bundles, and the log folder to send to support. */
public final class AboutDialog {

    private static final Logger LOG = LoggerFactory.getLogger(AboutDialog.class);

    private AboutDialog() {
    }

    public static void show(Window owner, ResourceBundle messages) {
        Alert dialog = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        dialog.initOwner(owner);
        dialog.setTitle(messages.getString("about.title"));
        dialog.setHeaderText("KeyShift " + Version.current());
        TextArea licences = new TextArea(licences());
        licences.setEditable(false);
        licences.getStyleClass().add("monospace");
        licences.setPrefRowCount(12);
        Path folder = LogFolder.path().orElse(null);
        Label logPath = new Label(folder == null ? messages.getString("about.logs.none") : folder.toString());
        logPath.setWrapText(true);
        Button open = new Button(messages.getString("about.logs.open"));
        open.setDisable(folder == null);
        open.setOnAction(event -> openFolder(folder, logPath, messages));
        Button copy = new Button(messages.getString("about.logs.copy"));
        copy.setDisable(folder == null);
        copy.setOnAction(event -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(folder.toString());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Label libmongocrypt = new Label(libmongocrypt(messages));
        libmongocrypt.setWrapText(true);
        VBox body = new VBox(10, libmongocrypt, new Label(messages.getString("about.licences")), licences,
                new Label(messages.getString("about.logs")), logPath, new HBox(8, open, copy));
        body.setPadding(new Insets(4));
        dialog.getDialogPane().setContent(body);
        dialog.showAndWait();
    }

    /** Opens the folder in the desktop's file manager; where none answers, says so beside the path. */
    private static void openFolder(Path folder, Label status, ResourceBundle messages) {
        try {
            new ProcessBuilder("xdg-open", folder.toString()).inheritIO().start();
        } catch (IOException e) {
            LOG.info("No file manager could open {}", folder, e);
            status.setText(folder + "  " + messages.getString("about.logs.cannotOpen"));
        }
    }

    /** Which libmongocrypt does every wrap and rewrap; support asks for it first. */
    static String libmongocrypt(ResourceBundle messages) {
        try {
            return MessageFormat.format(messages.getString("about.libmongocrypt"), Libmongocrypt.version());
        } catch (KeyShiftException e) {
            return e.getMessage();
        }
    }

    static String licences() {
        try (InputStream in = AboutDialog.class.getResourceAsStream("licenses.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
