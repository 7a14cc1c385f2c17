package io.keyshift.core.migrate;

import io.keyshift.core.cluster.ClusterReport;
import io.keyshift.core.kms.KmsCheckReport;
import io.keyshift.core.kms.KeyCheck;
import io.keyshift.core.kms.PreflightReport;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that must hold before the first write: the local key decrypts every selected key, the
 * AWS checks pass, and the connected user may update the key vault. Any failure blocks the run.
 *
 * @param aws null for DECRYPT, which needs no KMS but the local one
 */
public record MigrationPreflight(PreflightReport localKey, KmsCheckReport aws, List<String> clusterProblems) {

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

    public boolean passed() {
        return localKey.passed() && (aws == null || aws.passed()) && clusterProblems.isEmpty();
    }

    /** One sentence per reason the migration is blocked. */
    public List<String> blockers() {
        List<String> blockers = new ArrayList<>();
        for (KeyCheck failure : localKey.failures()) {
            blockers.add("Data key " + failure.keyId() + " does not decrypt with the local master key: " + failure.reason());
        }
        (aws == null ? List.<io.keyshift.core.kms.KmsCheck>of() : aws.checks()).stream().filter(check -> check.status() == io.keyshift.core.kms.KmsCheck.Status.FAIL)
                .forEach(check -> blockers.add("AWS " + check.name().label() + ": " + check.message()));
        blockers.addAll(clusterProblems);
        return blockers;
    }
}
