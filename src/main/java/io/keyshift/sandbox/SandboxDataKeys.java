package io.keyshift.sandbox;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The data keys the sandbox seeds and what each one encrypts. Ids and key material derive from the
 * seed, so a given {@code --seed} always yields the same key vault (only the random IVs differ).
 */
public final class SandboxDataKeys {

    /** One seeded DEK: its alt name (or null) and the namespace.field paths whose values it encrypts. */
    public record Spec(String altName, List<String> usedBy) {
    }

    public static final String KEY_VAULT_NAMESPACE = "encryption.__keyVault";

    /** In seeding order; the index is the DEK's position in {@link #ids(long)}. */
    public static final List<Spec> SPECS = List.of(
            new Spec("hr-ssn", List.of("hr.employees.ssn", "hr.employees.phones.$")),
            new Spec("hr-pay", List.of("hr.employees.salary", "hr.employees.hireDate")),
            new Spec(null, List.of("hr.employees.address.street")),
            new Spec("clinic-pii", List.of("clinic.patients.insurance.memberId", "clinic.patients.vitals",
                    "clinic.visits.codes.$")),
            new Spec(null, List.of("clinic.patients.scans.$", "clinic.visits.notes")),
            new Spec("spare", List.of()));

    public static final int HR_SSN = 0;
    public static final int HR_PAY = 1;
    public static final int HR_ADDRESS = 2;
    public static final int CLINIC_PII = 3;
    public static final int CLINIC_NOTES = 4;
    public static final int SPARE = 5;

    private SandboxDataKeys() {
    }

    /** The DEK ids for a seed, in {@link #SPECS} order. */
    public static List<UUID> ids(long seed) {
        Random random = new Random(seed);
        return SPECS.stream().map(spec -> randomUuid(random)).toList();
    }

    /** A version 4 (random) UUID drawn from the given generator. */
    private static UUID randomUuid(Random random) {
        long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        long leastSignificant = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    /** 96 bytes of DEK key material per spec, from the seed. */
    static byte[] keyMaterial(long seed, int index) {
        byte[] material = new byte[96];
        new Random(seed * 31 + index).nextBytes(material);
        return material;
    }

    /** The local master key: 96 bytes from the seed. */
    static byte[] localMasterKey(long seed) {
        byte[] key = new byte[96];
        new Random(~seed).nextBytes(key);
        return key;
    }
}
