package io.keyshift.core.kms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The lines a REST target check records in order, each with its id, label, status and sentence, and
 * whether the service answered at all.
 */
final class CheckList {

    /** One recorded check. */
    record Line(String id, String label, KmsCheck.Status status, String message) {
    }

    /** Every check's label by id, in the order they run. */
    private final LinkedHashMap<String, String> labels;
    private final List<Line> lines = new ArrayList<>();
    private boolean reachable = true;

    CheckList(LinkedHashMap<String, String> labels) {
        this.labels = new LinkedHashMap<>(labels);
    }

    CheckList ok(String id, String message) {
        return add(id, KmsCheck.Status.OK, message);
    }

    CheckList warn(String id, String message) {
        return add(id, KmsCheck.Status.WARN, message);
    }

    CheckList fail(String id, String message) {
        return add(id, KmsCheck.Status.FAIL, message);
    }

    CheckList skip(String id, String message) {
        return add(id, KmsCheck.Status.SKIPPED, message);
    }

    /** Marks every check not recorded yet as skipped: an earlier one failed. */
    CheckList skipRest() {
        pending().forEach(id -> skip(id, "Not checked: an earlier check failed."));
        return this;
    }

    /** The service did not answer: the first check not recorded yet fails with {@code message}, the rest are skipped. */
    CheckList unreachable(String message) {
        reachable = false;
        pending().stream().findFirst().ifPresent(id -> fail(id, message));
        return skipRest();
    }

    boolean reachable() {
        return reachable;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    private List<String> pending() {
        return labels.keySet().stream().filter(id -> lines.stream().noneMatch(line -> line.id().equals(id))).toList();
    }

    private CheckList add(String id, KmsCheck.Status status, String message) {
        lines.add(new Line(id, labels.get(id), status, message));
        return this;
    }
}
