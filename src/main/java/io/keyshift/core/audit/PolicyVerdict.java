package io.keyshift.core.audit;

import java.util.List;

/** What a policy check found: every rule that failed, each with its evidence. */
public record PolicyVerdict(List<Failure> failures) {

    /**
     * One rule broken once.
     *
     * @param rule     the rule's name as the policy file writes it
     * @param evidence a sentence naming what breaks it (key ids, namespaces, paths, counts; never a value)
     */
    public record Failure(String rule, String evidence) {
    }

    public PolicyVerdict {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }
}
