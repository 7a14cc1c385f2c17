package io.keyshift.ui.verify;

import io.keyshift.core.migrate.MigrationRecord;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationSettingsTest {

    private static final String CMK = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final MigrationRecord.Target TARGET = new MigrationRecord.Target("eu-west-1", CMK, "kms.internal:4443");

    @Test
    void eachLanguageNamesTheRegionTheCmkAndTheEndpointAndNoSecret() {
        String all = ApplicationSettings.all(TARGET, Optional.empty());

        assertThat(all).contains("// Java", "// Node.js", "# Python");
        assertThat(ApplicationSettings.java(TARGET, Optional.empty()))
                .contains("\"region\", new BsonString(\"eu-west-1\")").contains(CMK).contains("kms.internal:4443")
                .contains("System.getenv(\"AWS_SECRET_ACCESS_KEY\")");
        assertThat(ApplicationSettings.node(new MigrationRecord.Target("eu-west-1", CMK, null), Optional.empty()))
                .contains("region: 'eu-west-1'").contains("key: '" + CMK + "'").doesNotContain("endpoint");
        assertThat(ApplicationSettings.python(new MigrationRecord.Target("eu-west-1", CMK, null), Optional.empty()))
                .contains("\"key\": \"" + CMK + "\"").contains("kms_providers = {\"aws\": {}}");
        assertThat(all).doesNotContainPattern("secretAccessKey\"?\\s*[:=]\\s*\"[A-Za-z0-9/+]{20,}");
    }

    @Test
    void awsOnlySettingsNameNoLocalProviderAndBothProviderSettingsReadTheKeyFileFromTheEnvironment() {
        assertThat(ApplicationSettings.all(TARGET, Optional.empty())).doesNotContain("local", "LOCAL_MASTER_KEY_FILE");

        String both = ApplicationSettings.all(TARGET, Optional.of("local"));

        assertThat(ApplicationSettings.java(TARGET, Optional.of("local")))
                .contains("\"local\", Map.of(\"key\", Files.readAllBytes(Path.of(System.getenv(\"LOCAL_MASTER_KEY_FILE\"))))")
                .contains("\"aws\", Map.of(");
        assertThat(ApplicationSettings.node(TARGET, Optional.of("local")))
                .startsWith("const kmsProviders = { 'local': { key: fs.readFileSync(process.env.LOCAL_MASTER_KEY_FILE) }, aws: {} };");
        assertThat(ApplicationSettings.python(TARGET, Optional.of("local:old")))
                .startsWith("kms_providers = {\"local:old\": {\"key\": open(os.environ[\"LOCAL_MASTER_KEY_FILE\"], \"rb\").read()},"
                        + " \"aws\": {}}");
        assertThat(both).doesNotContainPattern("key\"?\\s*[:=,]\\s*\"[A-Za-z0-9/+]{40,}");
    }
}
