package io.keyshift.ui.connect;

import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.ui.common.BusyButtons;
import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;

/** The Connect page: connection string, CA file, "Test connection" and the topology card. */
public final class ConnectController {

    private static final List<String> HEALTHY_STATES = List.of("PRIMARY", "SECONDARY", "STANDALONE", "MONGOS");

    private final ConnectViewModel viewModel;
    private final WizardNavigation navigation;

    @FXML private TextField uriField;
    @FXML private TextField caFileField;
    @FXML private Button browseCaButton;
    @FXML private Button testButton;
    @FXML private ProgressIndicator testProgress;
    @FXML private Label errorLabel;
    @FXML private VBox topologyCard;
    @FXML private Label topologyValue;
    @FXML private Label setNameValue;
    @FXML private Label versionValue;
    @FXML private Label userValue;
    @FXML private Label rolesValue;
    @FXML private VBox membersBox;
    @FXML private VBox warningsBox;
    @FXML private Button backButton;
    @FXML private Button nextButton;

    public ConnectController(ConnectViewModel viewModel, WizardNavigation navigation) {
        this.viewModel = viewModel;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        showMaskedUri();
        // The field shows the password only while it is being edited.
        uriField.focusedProperty().addListener((obs, was, focused) -> {
            if (focused) {
                uriField.setText(viewModel.uriProperty().get());
            } else {
                showMaskedUri();
            }
        });
        uriField.textProperty().addListener((obs, old, text) -> {
            if (uriField.isFocused()) {
                viewModel.uriProperty().set(text);
            }
        });
        viewModel.uriProperty().addListener((obs, old, now) -> {
            if (!uriField.isFocused()) {
                showMaskedUri();
            }
        });
        caFileField.textProperty().bindBidirectional(viewModel.caFileProperty());
        BusyButtons.disableWhile(testButton, viewModel.testingProperty());
        Visibility.showWhen(testProgress, viewModel.testingProperty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        Visibility.showWhen(topologyCard, viewModel.reportProperty().isNotNull());
        viewModel.reportProperty().addListener((obs, old, report) -> {
            if (report != null) {
                show(report);
            }
        });
        nextButton.disableProperty().bind(viewModel.valid().not());
    }

    private void showMaskedUri() {
        uriField.setText(ConnectViewModel.masked(viewModel.uriProperty().get()));
    }

    private void show(ClusterReport report) {
        topologyValue.setText(report.topology().label() + " · " + report.serverFlavor());
        setNameValue.setText(report.setName());
        versionValue.setText(report.serverVersion() + " (feature compatibility " + report.featureCompatibilityVersion() + ")");
        userValue.setText(report.users().isEmpty() ? "not authenticated" : String.join(", ", report.users()));
        rolesValue.setText(report.roles().isEmpty() ? "none" : String.join(", ", report.roles()));
        membersBox.getChildren().setAll(report.members().stream().map(member -> {
            Label state = new Label(member.state());
            boolean healthy = HEALTHY_STATES.contains(member.state()) && !member.health().equals("down");
            state.getStyleClass().addAll("badge", healthy ? "badge-ok" : "badge-warn");
            Label host = new Label(member.host() + (member.host().equals(report.primary()) ? "  (primary)" : ""));
            host.getStyleClass().add("monospace");
            Label health = new Label(member.health().toLowerCase(Locale.ROOT));
            health.getStyleClass().add("muted");
            HBox row = new HBox(10, state, host, health);
            row.getStyleClass().add("member-row");
            return row;
        }).toList());
        warningsBox.getChildren().setAll(report.warnings().stream().map(warning -> {
            Label label = new Label("⚠ " + warning);
            label.setWrapText(true);
            label.getStyleClass().add("status-warn");
            return label;
        }).toList());
    }

    @FXML
    private void onBrowseCa() {
        FilePickers.openPem(browseCaButton.getScene().getWindow()).ifPresent(file -> viewModel.caFileProperty().set(file.toString()));
    }

    @FXML
    private void onTest() {
        if (uriField.isFocused()) {
            viewModel.uriProperty().set(uriField.getText());
        }
        viewModel.testConnection();
    }

    @FXML
    private void onBack() {
        navigation.back();
    }

    @FXML
    private void onNext() {
        viewModel.commit();
        navigation.next();
    }
}
