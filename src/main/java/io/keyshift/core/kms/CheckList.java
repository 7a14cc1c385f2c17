package io.keyshift.core.kms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks a REST target checklist records in the order they run, what they learned, and whether the
 * service answered at all; it ends as a {@link KmsCheckReport}.
 */
final class CheckList {

    private final List<KmsCheck.Name> names;
    private final List<KmsCheck> checks = new ArrayList<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private boolean reachable = true;

    /** {@code names}: every check of the list, in the order they run. */
    CheckList(List<KmsCheck.Name> names) {
        this.names = List.copyOf(names);
    }

    void ok(KmsCheck.Name name, String message) {
        add(name, KmsCheck.Status.OK, message);
    }

    void warn(KmsCheck.Name name, String message) {
        add(name, KmsCheck.Status.WARN, message);
    }

    void fail(KmsCheck.Name name, String message) {
        add(name, KmsCheck.Status.FAIL, message);
    }

    void skip(KmsCheck.Name name, String message) {
        add(name, KmsCheck.Status.SKIPPED, message);
    }

    /** A fact learned on the way (a key's identifier, the primary version), shown with the report. */
    void detail(String key, String value) {
        details.put(key, value);
    }

    /** Marks every check not recorded yet as skipped: an earlier one failed. */
    void skipRest() {
        pending().forEach(name -> skip(name, "Not checked: an earlier check failed."));
    }

    /** The service did not answer: the first check not recorded yet fails with {@code message}, the rest are skipped. */
    void unreachable(String message) {
        reachable = false;
        pending().stream().findFirst().ifPresent(name -> fail(name, message));
        skipRest();
    }

    KmsCheckReport report(KmsTarget target) {
        skipRest();
        return new KmsCheckReport(target.provider().name(), target.describe(), reachable, checks, details);
    }

    private List<KmsCheck.Name> pending() {
        return names.stream().filter(name -> checks.stream().noneMatch(check -> check.name().equals(name))).toList();
    }

    private void add(KmsCheck.Name name, KmsCheck.Status status, String message) {
        checks.add(new KmsCheck(name, status, message));
    }
}
