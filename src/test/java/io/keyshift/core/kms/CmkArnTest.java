package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmkArnTest {

    private static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void acceptsKeyArnWithItsRegionAndAccount() {
        CmkArn cmk = CmkArn.parse(" arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID + " ");

        assertThat(cmk.kind()).isEqualTo(CmkArn.Kind.KEY);
        assertThat(cmk.text()).isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID);
        assertThat(cmk.region()).contains("us-east-1");
        assertThat(cmk.account()).contains("111122223333");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:kms:eu-west-3:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/" + KEY_ID,
            "arn:aws-cn:kms:cn-north-1:111122223333:key/" + KEY_ID})
    void acceptsMultiRegionKeysAndOtherPartitions(String arn) {
        assertThat(CmkArn.parse(arn).kind()).isEqualTo(CmkArn.Kind.KEY);
    }

    @Test
    void acceptsAliasArn() {
        CmkArn cmk = CmkArn.parse("arn:aws:kms:ap-southeast-2:111122223333:alias/payments/prod_key-1");

        assertThat(cmk.kind()).isEqualTo(CmkArn.Kind.ALIAS);
        assertThat(cmk.region()).contains("ap-southeast-2");
    }

    @Test
    void acceptsBareAliasWhichTakesRegionAndAccountFromElsewhere() {
        CmkArn cmk = CmkArn.parse("alias/keyshift");

        assertThat(cmk.kind()).isEqualTo(CmkArn.Kind.ALIAS);
        assertThat(cmk.region()).isEmpty();
        assertThat(cmk.account()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:kms:us-east-1:111122223333                                  | is incomplete",
            "arn:aws:iam::111122223333:user/dba                                  | is for the service \"iam\", not KMS",
            "arn:aws-eu:kms:us-east-1:111122223333:key/" + KEY_ID + "            | partition \"aws-eu\"",
            "arn:aws:kms:useast1:111122223333:key/" + KEY_ID + "                 | region \"useast1\"",
            "arn:aws-cn:kms:us-east-1:111122223333:key/" + KEY_ID + "            | partition aws-cn has no region us-east-1",
            "arn:aws:kms:us-east-1:1111-2222-3333:key/" + KEY_ID + "             | account \"1111-2222-3333\"",
            "arn:aws:kms:us-east-1:111122223333:key/not-a-key-id                 | key id \"not-a-key-id\"",
            "arn:aws:kms:us-east-1:111122223333:key/1234ABCD-12AB-34CD-56EF-1234567890AB | is not a KMS key id",
            "arn:aws:kms:us-east-1:111122223333:grant/abc                        | neither a key/ nor an alias/",
            "arn:aws:kms:us-east-1:111122223333:alias/has space                  | alias name \"has space\"",
            "alias/                                                              | alias name \"\""})
    void refusesMalformedArnSayingWhatIsWrongAndTheExpectedShape(String arn, String what) {
        assertThatThrownBy(() -> CmkArn.parse(arn))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining(what)
                .hasMessageContaining("expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID,"
                        + " arn:aws:kms:REGION:ACCOUNT:alias/NAME or alias/NAME");
    }

    @Test
    void refusesBareKeyIdShowingTheArnToGive() {
        assertThatThrownBy(() -> CmkArn.parse(KEY_ID))
                .isInstanceOf(KeyShiftException.class)
                .hasMessage("The CMK " + KEY_ID + " is a bare key id: give its full ARN,"
                        + " arn:aws:kms:REGION:ACCOUNT:key/" + KEY_ID + ".");
    }

    @Test
    void refusesAwsManagedKeyAlias() {
        assertThatThrownBy(() -> CmkArn.parse("alias/aws/ebs"))
                .hasMessageContaining("AWS managed key")
                .hasMessageContaining("customer managed key");
    }

    @Test
    void neverEchoesTextThatIsNotShapedLikeAnArn() {
        String pastedSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

        assertThatThrownBy(() -> CmkArn.parse(pastedSecret))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageStartingWith("The CMK is not a KMS key ARN or alias: expected")
                .message().doesNotContain(pastedSecret);
    }

    @Test
    void refusesEmptyInput() {
        assertThatThrownBy(() -> CmkArn.parse("  ")).hasMessageStartingWith("No CMK was given: expected");
    }
}
