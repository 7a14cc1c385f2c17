package io.keyshift.ui.wizard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WizardNavigationTest {

    private final WizardNavigation navigation = new WizardNavigation();

    @Test
    void nextFromTheWelcomePageIsConnectAndBackFromConnectIsTheWelcomePage() {
        assertThat(navigation.current()).isEmpty();
        navigation.next();
        assertThat(navigation.current()).contains(WizardStep.CONNECT);
        navigation.back();
        assertThat(navigation.current()).isEmpty();
    }

    @Test
    void stepsFollowTheOrderOfAMigration() {
        navigation.goTo(WizardStep.KEY_VAULT);
        navigation.next();
        assertThat(navigation.current()).contains(WizardStep.SOURCE_KEYS);
        navigation.next();
        assertThat(navigation.current()).contains(WizardStep.TARGET_KMS);
        navigation.back();
        navigation.back();
        assertThat(navigation.current()).contains(WizardStep.KEY_VAULT);
    }

    @Test
    void nextOnTheLastStepStaysThere() {
        navigation.goTo(WizardStep.VERIFY);
        navigation.next();
        assertThat(navigation.current()).contains(WizardStep.VERIFY);
    }
}
