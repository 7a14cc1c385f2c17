package io.keyshift.cli;

import io.keyshift.core.kms.CmkArn;
import io.keyshift.sandbox.SandboxInfo;
import io.keyshift.testing.StackExtension;
import io.keyshift.testing.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** A CMK whose ARN names another account than the credentials' is named as such in the plan. */
@ExtendWith(StackExtension.class)
class CrossAccountPlanStackTest {

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void thePlanNamesACrossAccountCmk(TestStack stack) {
        SandboxInfo.Aws aws = stack.info().aws();
        // The default credential chain reads these system properties, as it reads AWS_ACCESS_KEY_ID from the environment.
        System.setProperty("aws.accessKeyId", aws.migrator().accessKeyId());
        System.setProperty("aws.secretAccessKey", aws.migrator().secretAccessKey());
        String callerAccount = CmkArn.parse(aws.cmkArn()).account().orElseThrow();
        String crossAccountArn = aws.cmkArn().replace(":" + callerAccount + ":", ":111122223333:");

        CliRun dryRun = CliRun.keyshift("migrate", "--strategy", "rewrap", "--dry-run", "--uri", stack.info().mongodbUri(),
                "--local-key", stack.info().localKeyFile().toString(), "--region", aws.region(), "--cmk", crossAccountArn,
                "--endpoint", aws.endpoint(), "--kms-ca-file", aws.caFile().toString());

        assertThat(dryRun.out()).as(dryRun.err()).contains("  Warning: Cross-account CMK: the key is in account 111122223333,"
                + " the credentials are from account " + callerAccount + ".", "the key policy must grant " + callerAccount);
    }
}
