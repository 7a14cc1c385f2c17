package io.keyshift.core.scan;

import io.keyshift.core.crypto.CiphertextHeader.Algorithm;
import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.keyvault.MasterKeyRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class KeyUsageTest {

    private static final UUID USED = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID SCHEMA_ONLY = UUID.fromString("22222222-2222-4222-8222-222222222222");
    private static final UUID IDLE = UUID.fromString("33333333-3333-4333-8333-333333333333");
    private static final UUID LOST = UUID.fromString("44444444-4444-4444-8444-444444444444");

    private static DataKey key(UUID id) {
        return new DataKey(id, List.of(), new MasterKeyRef("local", Map.of()), null, null, 0);
    }

    @Test
    void findsKeysUsedByDataOrSchemaKeysNothingUsesAndKeysMissingFromTheVault() {
        UsageMap data = new UsageMap(ScanMode.full(), List.of(new NamespaceUsage("hr.employees", 10, List.of(
                new FieldUsage("ssn", USED, 10, Set.of(Algorithm.DETERMINISTIC)),
                new FieldUsage("old", LOST, 3, Set.of(Algorithm.RANDOM))), List.of(), false)));
        List<SchemaKeyRef> schema = List.of(new SchemaKeyRef("hr.employees", "salary", SCHEMA_ONLY, null));

        KeyUsage usage = KeyUsage.of(List.of(key(USED), key(SCHEMA_ONLY), key(IDLE)), data, schema);

        assertThat(usage.usesOf(USED)).containsExactly(new KeyUse("hr.employees", "ssn", KeyUse.Source.DATA, 10));
        assertThat(usage.usesOf(SCHEMA_ONLY)).containsExactly(new KeyUse("hr.employees", "salary", KeyUse.Source.SCHEMA, 0));
        assertThat(usage.unused()).containsExactly(IDLE);
        assertThat(usage.missing()).containsOnlyKeys(LOST);
        assertThat(usage.missing().get(LOST)).containsExactly(new KeyUse("hr.employees", "old", KeyUse.Source.DATA, 3));
    }
}
