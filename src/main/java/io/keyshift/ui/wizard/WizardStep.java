package io.keyshift.ui.wizard;

/** The steps of a migration, in order; each has a page of its own and a CLI sub-command. */
public enum WizardStep {
    CONNECT("step.connect"),
    KEY_VAULT("step.keyVault"),
    SOURCE_KEYS("step.sourceKeys"),
    TARGET_KMS("step.targetKms"),
    PLAN("step.plan"),
    SCHEMA("step.schema"),
    RUN("step.run"),
    VERIFY("step.verify");

    private final String messageKey;

    WizardStep(String messageKey) {
        this.messageKey = messageKey;
    }

    /** The key of the step's title in messages.properties. */
    public String messageKey() {
        return messageKey;
    }
}
