package io.keyshift.core.secret;

import io.keyshift.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void masksThePasswordOfMongoUrisAndKeepsUserAndHosts() {
        assertThat(Redaction.redact("connecting to mongodb://admin:s3cr%40t@db1:27017,db2:27017/?replicaSet=rs0"))
                .isEqualTo("connecting to mongodb://admin:****@db1:27017,db2:27017/?replicaSet=rs0");
        assertThat(Redaction.redact("mongodb+srv://dba:pa/ss?w@rd@cluster0.example.net/admin"))
                .isEqualTo("mongodb+srv://dba:****@cluster0.example.net/admin");
    }

    @Test
    void leavesMongoUrisWithoutPasswordAlone() {
        String uri = "mongodb://db1:27017,db2:27017/?replicaSet=rs0&authSource=admin";
        assertThat(Redaction.redact(uri)).isEqualTo(uri);
    }

    @Test
    void masksTheValuesOfSecretPairsAndKeepsTheirNames() {
        assertThat(Redaction.redact("aws_secret_access_key = abc123secret"))
                .isEqualTo("aws_secret_access_key = ****");
        assertThat(Redaction.redact("{\"accessKeyId\": \"AKIAEXAMPLE\", \"secretAccessKey\": \"abc 123\"}"))
                .isEqualTo("{\"accessKeyId\": \"AKIAEXAMPLE\", \"secretAccessKey\": \"****\"}");
        assertThat(Redaction.redact("AWS_SESSION_TOKEN=tok3n&x=1")).isEqualTo("AWS_SESSION_TOKEN=****&x=1");
        assertThat(Redaction.redact("sessionToken: 'tok en'")).isEqualTo("sessionToken: '****'");
        assertThat(Redaction.redact("password=hunter22, user=dba")).isEqualTo("password=****, user=dba");
    }

    @Test
    void masksAnAwsSecretKeyStandingAlone() {
        assertThat(Redaction.redact("signing with " + TestSecrets.AWS_SECRET + " now"))
                .isEqualTo("signing with **** now");
    }

    @Test
    void sparesHexDigestsIdentifiersAndLongerBase64() {
        String text = "commit 3f786850e387550fdab836ed7e6dc881de23001b, key 0a1b2c3d-0000-4000-8000-00000000aaaa, "
                + "ciphertext " + Base64.getEncoder().encodeToString(new byte[45]).replace('A', 'x') + "Q9";
        assertThat(Redaction.redact(text)).isEqualTo(text);
    }

    @Test
    void masksStsSessionTokens() {
        assertThat(Redaction.redact("token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ== expired"))
                .isEqualTo("token **** expired");
    }

    @Test
    void masksEveryRenderingOfARegisteredKeyUntilItsRegistrationCloses() {
        byte[] key = TestSecrets.localKey();
        String mimeFirstLine = Base64.getMimeEncoder().encodeToString(key).lines().findFirst().orElseThrow();
        String text = String.join("\n", TestSecrets.localKeyRenderings()) + "\n" + Arrays.toString(key)
                + "\n" + mimeFirstLine;

        try (SecretRegistry.Registration ignored = SecretRegistry.register(key)) {
            assertThat(Redaction.redact(text)).isEqualTo("****\n****\n****\n****\n****\n****");
        }
        assertThat(Redaction.redact(text)).contains(HexFormat.of().formatHex(key));
    }

    @Test
    void masksARegisteredSecretTextAndItsBase64() {
        char[] secret = "correct horse battery staple".toCharArray();
        String base64 = Base64.getEncoder().encodeToString("correct horse battery staple".getBytes());
        try (SecretRegistry.Registration ignored = SecretRegistry.register(secret)) {
            assertThat(Redaction.redact("it was correct horse battery staple, or " + base64))
                    .isEqualTo("it was ****, or ****");
        }
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "Rewrapped 6 data keys of encryption.__keyVault under arn:aws:kms:eu-west-1:111122223333:"
                + "key/1234abcd-12ab-34cd-56ef-1234567890ab in 2.3 s";
        assertThat(Redaction.redact(text)).isEqualTo(text);
    }
}
