package io.keyshift.ui.about;

import io.keyshift.core.kms.Libmongocrypt;
import io.keyshift.ui.common.FxmlLoaderFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AboutDialogTest {

    @Test
    void listsTheLicenceOfEveryMajorBundledComponent() {
        assertThat(AboutDialog.licences())
                .contains("JavaFX", "GPL-2.0 with Classpath Exception")
                .contains("MongoDB Java Driver", "AWS SDK for Java 2", "picocli", "Bouncy Castle", "Logback", "AtlantaFX");
    }

    @Test
    void namesTheBundledLibmongocryptVersion() {
        assertThat(AboutDialog.libmongocrypt(FxmlLoaderFactory.messages()))
                .startsWith("libmongocrypt " + Libmongocrypt.version() + ":")
                .matches("libmongocrypt \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void theLogFolderIsWhereTheLogFileReallyIs() {
        // The test logging configuration writes to target/test-logs/keyshift.log.
        assertThat(LogFolder.path()).hasValueSatisfying(folder -> {
            assertThat(folder).isEqualTo(Path.of("target", "test-logs").toAbsolutePath());
            assertThat(folder.resolve("keyshift.log")).exists();
        });
    }
}
