package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import io.keyshift.sandbox.TlsCertificates;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsTargetTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    @TempDir
    Path dir;

    private static AwsCredentialSource.EnteredKeys enteredKeys(String sessionToken) {
        return AwsCredentialSource.entered(ACCESS_KEY_ID, SECRET.toCharArray(),
                sessionToken == null ? null : sessionToken.toCharArray());
    }

    @Test
    void masterKeyHoldsRegionAndKeyAsGiven() {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, null)) {
            assertThat(target.masterKey())
                    .isEqualTo(BsonDocument.parse("{region: 'eu-west-1', key: '" + KEY_ARN + "'}"));
        }
    }

    @Test
    void masterKeyCarriesTheEndpointWithoutScheme() {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "us-east-1", "alias/keyshift",
                "https://kms.internal.example:8443/", null)) {
            assertThat(target.endpoint()).contains("kms.internal.example:8443");
            assertThat(target.masterKey()).isEqualTo(BsonDocument.parse(
                    "{region: 'us-east-1', key: 'alias/keyshift', endpoint: 'kms.internal.example:8443'}"));
        }
    }

    @Test
    void kmsProviderEntryIsEmptySoTheDriverAsksTheSupplier() {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, null)) {
            assertThat(target.provider().kmsProviderEntry()).isEmpty();
            assertThat(target.provider().credentials().orElseThrow().get())
                    .isEqualTo(Map.of("accessKeyId", ACCESS_KEY_ID, "secretAccessKey", SECRET));
        }
    }

    @Test
    void kmsProviderCredentialsIncludeTheSessionToken() {
        try (AwsTarget target = new AwsTarget(enteredKeys("token-1"), "eu-west-1", KEY_ARN, null, null)) {
            assertThat(target.provider().credentials().orElseThrow().get()).containsEntry("sessionToken", "token-1");
        }
    }

    @Test
    void aNamedProviderCarriesItsCredentialsInTheEntryBecauseLibmongocryptAsksNoSupplierForIt() {
        try (AwsTarget target = new AwsTarget(enteredKeys("token-1"), "eu-west-1", KEY_ARN, null, null);
             AwsProvider next = target.provider().named("aws:next")) {
            assertThat(next.name()).isEqualTo("aws:next");
            assertThat(next.credentials()).isEmpty();
            assertThat(next.kmsProviderEntry()).isEqualTo(Map.of("accessKeyId", ACCESS_KEY_ID, "secretAccessKey", SECRET,
                    "sessionToken", "token-1"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws:", "aws:prod-1", "awsnext", "aws:a:b"})
    void refusesAProviderNameThatIsNotAwsOrANamedAws(String name) {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, null)) {
            assertThatThrownBy(() -> target.provider().named(name))
                    .isInstanceOf(KeyShiftException.class)
                    .hasMessage("\"" + name + "\" is not a name for the AWS KMS provider: use aws or aws:NAME, where NAME is"
                            + " letters, digits and underscores (such as aws:new).");
        }
    }

    @Test
    void describesTheTargetWithoutTheSecret() {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, "127.0.0.1:4566", null)) {
            assertThat(target.kmsTarget().describe()).isEqualTo("aws (the keys entered on the AWS page, endpoint"
                    + " 127.0.0.1:4566), key " + KEY_ARN + " in eu-west-1");
        }
    }

    @Test
    void wipedKeysCannotSignAnymore() {
        AwsCredentialSource.EnteredKeys keys = enteredKeys(null);
        try (AwsTarget target = new AwsTarget(keys, "eu-west-1", KEY_ARN, null, null)) {
            keys.destroy();

            assertThat(keys.isDestroyed()).isTrue();
            assertThatThrownBy(() -> target.provider().credentials().orElseThrow().get()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void neitherTargetNorKeysShowTheSecretWhenPrinted() {
        try (AwsTarget target = new AwsTarget(enteredKeys("token-1"), "eu-west-1", KEY_ARN, null, null)) {
            assertThat(target.toString()).doesNotContain(SECRET).doesNotContain("token-1").contains("AKIA…MPLE");
            assertThat(target.credentialSource().toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void refusesAccessKeyIdWithoutEchoingIt() {
        assertThatThrownBy(() -> AwsCredentialSource.entered(SECRET, SECRET.toCharArray(), null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageStartingWith("The access key id is not an AWS access key id")
                .message().doesNotContain(SECRET);
    }

    @Test
    void refusesEmptySecret() {
        assertThatThrownBy(() -> AwsCredentialSource.entered(ACCESS_KEY_ID, new char[0], null))
                .hasMessage("The secret access key is empty: enter the secret that belongs to access key AKIA…MPLE.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "useast1", "US-EAST-1", "us-east"})
    void refusesRegionThatIsNotARegionName(String region) {
        assertThatThrownBy(() -> new AwsTarget(enteredKeys(null), region, KEY_ARN, null, null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("such as us-east-1");
    }

    @Test
    void acceptsRegionOtherThanTheArnsSoTheCheckCanReportIt() {
        try (AwsTarget target = new AwsTarget(enteredKeys(null), "us-east-1", KEY_ARN, null, null)) {
            assertThat(target.cmk().region()).contains("eu-west-1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kms host", "host:99999", "host:", ":443", "https://host/path"})
    void refusesEndpointThatIsNotHostAndPort(String endpoint) {
        assertThatThrownBy(() -> new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, endpoint, null))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("endpoint");
    }

    @Test
    void refusesPlainHttpEndpoint() {
        assertThatThrownBy(() -> new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, "http://127.0.0.1:4566", null))
                .hasMessageContaining("plain HTTP");
    }

    @Test
    void refusesMissingCaFile() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, missing))
                .hasMessage("The CA file " + missing + " does not exist: give the PEM file of the certificate"
                        + " authority that signed the server's certificate.");
    }

    @Test
    void refusesCaFileWithoutCertificate() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, notPem))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("The CA file " + notPem);
    }

    @Test
    void sslContextIsOfferedOnlyWithACaFile() {
        Path ca = dir.resolve("ca.pem");
        TlsCertificates.writePem(ca, TlsCertificates.newAuthority("Test CA").authorityCertificate());

        try (AwsTarget withCa = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, "127.0.0.1:4566", ca);
             AwsTarget withoutCa = new AwsTarget(enteredKeys(null), "eu-west-1", KEY_ARN, null, null)) {
            assertThat(withCa.provider().sslContext()).isPresent();
            assertThat(withoutCa.provider().sslContext()).isEmpty();
        }
    }
}
