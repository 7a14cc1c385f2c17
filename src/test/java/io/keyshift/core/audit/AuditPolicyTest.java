package io.keyshift.core.audit;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditPolicyTest {

    @TempDir
    Path dir;

    private Path policy(String json) throws IOException {
        return Files.writeString(dir.resolve("policy.json"), json);
    }

    @Test
    void readsEveryRuleAndLeavesOutTheOnesNotGiven() throws IOException {
        AuditPolicy read = AuditPolicy.read(policy("{\"maxDaysSinceRewrap\": 365, \"forbiddenProviders\": [\"local\"],"
                + " \"noDanglingReferences\": true}"));

        assertThat(read).isEqualTo(new AuditPolicy(365L, Set.of("local"), true, false, false));
    }

    @Test
    void refusesAValueOfTheWrongTypeNamingTheRuleAndTheFormat() throws IOException {
        Path file = policy("{\"maxDaysSinceRewrap\": \"a year\"}");

        assertThatThrownBy(() -> AuditPolicy.read(file)).isInstanceOf(KeyShiftException.class)
                .hasMessage("The policy file " + file + " gives maxDaysSinceRewrap a value that is not a whole number of"
                        + " days, such as 365: see docs/audit-policy.md.");
    }

    @Test
    void refusesAFileThatIsNotJson() throws IOException {
        Path file = policy("maxDaysSinceRewrap: 365");

        assertThatThrownBy(() -> AuditPolicy.read(file)).isInstanceOf(KeyShiftException.class)
                .hasMessageStartingWith("The policy file " + file + " is not valid JSON");
    }
}
