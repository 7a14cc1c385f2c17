package io.keyshift.ui.verify;

import io.keyshift.core.migrate.MigrationRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationSettingsTest {

    private static final String CMK = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void eachLanguageNamesTheRegionTheCmkAndTheEndpointAndNoSecret() {
        String all = ApplicationSettings.all(new MigrationRecord.Target("eu-west-1", CMK, "kms.internal:4443"));

        assertThat(all).contains("// Java", "// Node.js", "# Python");
        assertThat(ApplicationSettings.java(new MigrationRecord.Target("eu-west-1", CMK, "kms.internal:4443")))
                .contains("\"region\", new BsonString(\"eu-west-1\")").contains(CMK).contains("kms.internal:4443")
                .contains("System.getenv(\"AWS_SECRET_ACCESS_KEY\")");
        assertThat(ApplicationSettings.node(new MigrationRecord.Target("eu-west-1", CMK, null)))
                .contains("region: 'eu-west-1'").contains("key: '" + CMK + "'").doesNotContain("endpoint");
        assertThat(ApplicationSettings.python(new MigrationRecord.Target("eu-west-1", CMK, null)))
                .contains("\"key\": \"" + CMK + "\"").contains("kms_providers = {\"aws\": {}}");
        assertThat(all).doesNotContainPattern("secretAccessKey\"?\\s*[:=]\\s*\"[A-Za-z0-9/+]{20,}");
    }
}
