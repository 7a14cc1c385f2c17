package io.keyshift.core.migrate;

import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.kms.KmsCheck;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.PreflightReport;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that must hold before the first write, whatever the strategy: every selected key opens
 * under its source provider, the target's checks pass, and the connected user may update the key
 * vault. Any failure blocks the run.
 *
 * @param target the target's checklist; null for DECRYPT, which has no target
 */
public record MigrationPreflight(PreflightReport sourceKeys, KmsCheckReport target, List<String> clusterProblems) {

    public MigrationPreflight {
        clusterProblems = List.copyOf(clusterProblems);
    }

    /** The cluster warnings that block a migration: a user who can't update the key vault, no primary. */
    public static List<String> blockingClusterProblems(ClusterReport cluster) {
        return cluster.warnings().stream()
                .filter(warning -> warning.contains("lacks update on") || warning.contains("lacks find on")
                        || warning.toLowerCase(java.util.Locale.ROOT).contains("no primary"))
                .toList();
    }

    /** {@code AWS} for aws, the provider's name otherwise, as a check's label begins a blocker. */
    private static String checkedBy(String provider) {
        return provider.equals("aws") ? "AWS" : provider;
    }

    public boolean passed() {
        return sourceKeys.passed() && (target == null || target.passed()) && clusterProblems.isEmpty();
    }

    /** One sentence per reason the migration is blocked. */
    public List<String> blockers() {
        List<String> blockers = new ArrayList<>();
        for (KeyCheck failure : sourceKeys.failures()) {
            blockers.add("Data key " + failure.keyId() + (failure.provider().startsWith("local")
                    ? " does not decrypt with the local master key: " : " does not open under provider " + failure.provider()
                    + ": ") + failure.reason());
        }
        (target == null ? List.<KmsCheck>of() : target.checks()).stream().filter(check -> check.status() == KmsCheck.Status.FAIL)
                .forEach(check -> blockers.add(checkedBy(target.provider()) + " " + check.name().label() + ": " + check.message()));
        blockers.addAll(clusterProblems);
        return blockers;
    }
}
