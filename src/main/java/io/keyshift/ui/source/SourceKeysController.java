package io.keyshift.ui.source;

import io.keyshift.core.kms.KeyCheck;
import io.keyshift.ui.common.BusyButtons;
import io.keyshift.ui.common.FilePickers;
import io.keyshift.ui.common.Visibility;
import io.keyshift.ui.common.WrappingCell;
import io.keyshift.ui.wizard.WizardNavigation;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.VBox;

import java.io.File;

/**
 * The Source keys page: a section for each kind of provider among the selected keys (the local key file,
 * chosen or dropped; AWS credentials; a KMIP server; an Azure service principal; a Google Cloud service
 * account) and the preflight of every selected data key.
 */
public final class SourceKeysController {

    private final SourceKeysViewModel viewModel;
    private final WizardNavigation navigation;

    @FXML private VBox dropZone;
    @FXML private VBox awsSection;
    @FXML private RadioButton awsChainChoice;
    @FXML private RadioButton awsProfileChoice;
    @FXML private ToggleGroup awsCredentialChoice;
    @FXML private ComboBox<String> awsProfileBox;
    @FXML private TextField awsEndpointField;
    @FXML private TextField awsCaFileField;
    @FXML private Button awsCaBrowseButton;
    @FXML private VBox kmipSection;
    @FXML private TextField kmipEndpointField;
    @FXML private TextField kmipCaFileField;
    @FXML private Button kmipCaBrowseButton;
    @FXML private TextField kmipCertificateField;
    @FXML private Button kmipCertificateBrowseButton;
    @FXML private VBox azureSection;
    @FXML private TextField azureTenantField;
    @FXML private TextField azureClientField;
    @FXML private PasswordField azureSecretField;
    @FXML private PasswordField azureTokenField;
    @FXML private PasswordField gcpTokenField;
    @FXML private TextField azureIdentityField;
    @FXML private TextField azureCaFileField;
    @FXML private Button azureCaBrowseButton;
    @FXML private VBox gcpSection;
    @FXML private TextField gcpCredentialsField;
    @FXML private Button gcpCredentialsBrowseButton;
    @FXML private TextField gcpEndpointField;
    @FXML private TextField gcpCaFileField;
    @FXML private Button gcpCaBrowseButton;
    @FXML private TextField keyFileField;
    @FXML private Button browseButton;
    @FXML private Button checkButton;
    @FXML private ProgressIndicator checkProgress;
    @FXML private Label keyErrorLabel;
    @FXML private Label errorLabel;
    @FXML private TableView<PreflightRow> preflightTable;
    @FXML private TableColumn<PreflightRow, String> markColumn;
    @FXML private TableColumn<PreflightRow, String> keyColumn;
    @FXML private TableColumn<PreflightRow, String> providerColumn;
    @FXML private TableColumn<PreflightRow, String> reasonColumn;
    @FXML private Label summaryLabel;
    @FXML private Button nextButton;

    public SourceKeysController(SourceKeysViewModel viewModel, WizardNavigation navigation) {
        this.viewModel = viewModel;
        this.navigation = navigation;
    }

    @FXML
    private void initialize() {
        Visibility.showWhen(dropZone, viewModel.needsLocalProperty());
        keyFileField.textProperty().bindBidirectional(viewModel.keyFileProperty());
        Visibility.showWhen(awsSection, viewModel.needsAwsProperty());
        awsChainChoice.setUserData(SourceKeysViewModel.AwsCredentials.DEFAULT_CHAIN);
        awsProfileChoice.setUserData(SourceKeysViewModel.AwsCredentials.PROFILE);
        awsCredentialChoice.selectToggle(viewModel.awsCredentialsProperty().get() == SourceKeysViewModel.AwsCredentials.PROFILE
                ? awsProfileChoice : awsChainChoice);
        awsCredentialChoice.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                viewModel.awsCredentialsProperty().set((SourceKeysViewModel.AwsCredentials) toggle.getUserData());
            }
        });
        awsProfileBox.setItems(viewModel.awsProfiles());
        awsProfileBox.valueProperty().bindBidirectional(viewModel.awsProfileProperty());
        awsProfileBox.disableProperty().bind(awsProfileChoice.selectedProperty().not());
        awsEndpointField.textProperty().bindBidirectional(viewModel.awsEndpointProperty());
        awsCaFileField.textProperty().bindBidirectional(viewModel.awsCaFileProperty());
        Visibility.showWhen(kmipSection, viewModel.needsKmipProperty());
        kmipEndpointField.textProperty().bindBidirectional(viewModel.kmipEndpointProperty());
        kmipCaFileField.textProperty().bindBidirectional(viewModel.kmipCaFileProperty());
        kmipCertificateField.textProperty().bindBidirectional(viewModel.kmipClientCertificateProperty());
        Visibility.showWhen(azureSection, viewModel.needsAzureProperty());
        azureTenantField.textProperty().bindBidirectional(viewModel.azureTenantIdProperty());
        azureClientField.textProperty().bindBidirectional(viewModel.azureClientIdProperty());
        azureSecretField.textProperty().bindBidirectional(viewModel.azureClientSecretProperty());
        azureTokenField.textProperty().bindBidirectional(viewModel.azureAccessTokenProperty());
        gcpTokenField.textProperty().bindBidirectional(viewModel.gcpAccessTokenProperty());
        azureIdentityField.textProperty().bindBidirectional(viewModel.azureIdentityEndpointProperty());
        azureCaFileField.textProperty().bindBidirectional(viewModel.azureCaFileProperty());
        Visibility.showWhen(gcpSection, viewModel.needsGcpProperty());
        gcpCredentialsField.textProperty().bindBidirectional(viewModel.gcpCredentialsFileProperty());
        gcpEndpointField.textProperty().bindBidirectional(viewModel.gcpEndpointProperty());
        gcpCaFileField.textProperty().bindBidirectional(viewModel.gcpCaFileProperty());
        BusyButtons.disableWhile(checkButton, viewModel.checkingProperty());
        Visibility.showWhen(checkProgress, viewModel.checkingProperty());
        keyErrorLabel.textProperty().bind(viewModel.keyErrorProperty());
        Visibility.showWhen(keyErrorLabel, viewModel.keyErrorProperty().isNotEmpty());
        errorLabel.textProperty().bind(viewModel.errorProperty());
        Visibility.showWhen(errorLabel, viewModel.errorProperty().isNotEmpty());
        summaryLabel.textProperty().bind(viewModel.summaryProperty());
        // A key that does not decrypt is a hard stop: the summary becomes a warning card saying the way out.
        viewModel.reportProperty().addListener((obs, old, report) ->
                summaryLabel.getStyleClass().setAll("label", report == null || viewModel.valid().get() ? "status-ok" : "hard-warning"));

        preflightTable.setItems(viewModel.rows());
        markColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().mark()));
        markColumn.setCellFactory(column -> new MarkCell());
        keyColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().name()));
        providerColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().key().masterKey().provider()));
        reasonColumn.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().sentence()));
        reasonColumn.setCellFactory(WrappingCell::new);
        nextButton.disableProperty().bind(viewModel.valid().not());

        dropZone.setOnDragOver(this::acceptFile);
        dropZone.setOnDragDropped(this::dropFile);
    }

    private void acceptFile(DragEvent event) {
        if (event.getDragboard().hasFiles() && event.getDragboard().getFiles().size() == 1) {
            event.acceptTransferModes(TransferMode.COPY);
        }
        event.consume();
    }

    private void dropFile(DragEvent event) {
        boolean dropped = event.getDragboard().hasFiles() && event.getDragboard().getFiles().size() == 1;
        if (dropped) {
            File file = event.getDragboard().getFiles().get(0);
            viewModel.useKeyFile(file.toPath());
        }
        event.setDropCompleted(dropped);
        event.consume();
    }

    /** ✓ in green, ✗ in red. */
    private static final class MarkCell extends TableCell<PreflightRow, String> {
        @Override
        protected void updateItem(String mark, boolean empty) {
            super.updateItem(mark, empty);
            setText(empty ? null : mark);
            getStyleClass().removeAll("status-ok", "status-blocked");
            PreflightRow row = empty ? null : getTableRow().getItem();
            if (row != null && row.outcome() == KeyCheck.Outcome.OK) {
                getStyleClass().add("status-ok");
            } else if (row != null && row.outcome() == KeyCheck.Outcome.FAILS) {
                getStyleClass().add("status-blocked");
            }
        }
    }

    @FXML
    private void onBrowse() {
        FilePickers.openKeyFile(browseButton.getScene().getWindow()).ifPresent(viewModel::useKeyFile);
    }

    @FXML
    private void onBrowseAwsCa() {
        FilePickers.openPem(awsCaBrowseButton.getScene().getWindow()).ifPresent(file -> viewModel.awsCaFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseKmipCa() {
        FilePickers.openPem(kmipCaBrowseButton.getScene().getWindow()).ifPresent(file -> viewModel.kmipCaFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseKmipCertificate() {
        FilePickers.openPem(kmipCertificateBrowseButton.getScene().getWindow())
                .ifPresent(file -> viewModel.kmipClientCertificateProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseAzureCa() {
        FilePickers.openPem(azureCaBrowseButton.getScene().getWindow()).ifPresent(file -> viewModel.azureCaFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseGcpCredentials() {
        FilePickers.openServiceAccountKey(gcpCredentialsBrowseButton.getScene().getWindow())
                .ifPresent(file -> viewModel.gcpCredentialsFileProperty().set(file.toString()));
    }

    @FXML
    private void onBrowseGcpCa() {
        FilePickers.openPem(gcpCaBrowseButton.getScene().getWindow()).ifPresent(file -> viewModel.gcpCaFileProperty().set(file.toString()));
    }

    @FXML
    private void onCheck() {
        viewModel.check();
    }

    @FXML
    private void onBack() {
        navigation.back();
    }

    @FXML
    private void onNext() {
        navigation.next();
    }
}
