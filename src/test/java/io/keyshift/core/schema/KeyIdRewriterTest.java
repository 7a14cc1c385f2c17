package io.keyshift.core.schema;

import io.keyshift.core.schema.SchemaRewrite.AltNameResolution;
import io.keyshift.core.schema.SchemaRewrite.PointerKeyId;
import io.keyshift.core.schema.SchemaRewrite.RemovedBlock;
import io.keyshift.core.schema.SchemaRewrite.ReplacedKeyId;
import io.keyshift.core.schema.SchemaRewrite.UnknownKeyId;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class KeyIdRewriterTest {

    private static final UUID SSN_OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID MEDICAL_OLD = UUID.fromString("22222222-2222-4222-8222-222222222222");
    private static final UUID HISTORY_A_OLD = UUID.fromString("33333333-3333-4333-8333-333333333333");
    private static final UUID HISTORY_B_OLD = UUID.fromString("44444444-4444-4444-8444-444444444444");
    private static final UUID SSN_NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final UUID MEDICAL_NEW = UUID.fromString("aaaaaaaa-2222-4222-8222-222222222222");
    private static final UUID HISTORY_A_NEW = UUID.fromString("aaaaaaaa-3333-4333-8333-333333333333");

    @TempDir
    Path dir;

    private SchemaFile hrSchema() throws IOException {
        return SchemaSource.readFile(SchemaJson.write(dir, "schema.json",
                SchemaJson.hrSchemaMap(SSN_OLD, MEDICAL_OLD, HISTORY_A_OLD, HISTORY_B_OLD)));
    }

    private static DekMapping mapping(boolean altNamesMoved) {
        return new DekMapping(Map.of(SSN_OLD, SSN_NEW, MEDICAL_OLD, MEDICAL_NEW, HISTORY_A_OLD, HISTORY_A_NEW),
                altNamesMoved);
    }

    @Test
    void replacesKeyIdsOfEncryptBlocksNestedEncryptMetadataAndArrays() throws IOException {
        SchemaRewrite rewrite = KeyIdRewriter.rekey(mapping(true), Optional.empty()).rewrite(hrSchema());

        assertThat(rewrite.replaced()).containsExactly(
                new ReplacedKeyId("hr.employees", "ssn", SSN_OLD, SSN_NEW),
                new ReplacedKeyId("hr.employees", "medical.encryptMetadata", MEDICAL_OLD, MEDICAL_NEW),
                new ReplacedKeyId("hr.employees", "history", HISTORY_A_OLD, HISTORY_A_NEW));
        BsonDocument properties = rewrite.rules().get("hr.employees").getDocument("properties");
        assertThat(properties.getDocument("ssn").getDocument("encrypt").getArray("keyId").get(0).asBinary().asUuid())
                .isEqualTo(SSN_NEW);
        assertThat(properties.getDocument("medical").getDocument("encryptMetadata").getArray("keyId").get(0)
                .asBinary().asUuid()).isEqualTo(MEDICAL_NEW);
        assertThat(properties.getDocument("history").getDocument("encrypt").getArray("keyId"))
                .extracting(keyId -> keyId.asBinary().asUuid())
                .containsExactly(HISTORY_A_NEW, HISTORY_B_OLD);
    }

    @Test
    void leavesUnrelatedContentIdenticalInCanonicalForm() throws IOException {
        SchemaFile schema = hrSchema();

        SchemaRewrite rewrite = KeyIdRewriter.rekey(mapping(true), Optional.empty()).rewrite(schema);

        String expected = ExtendedJson.canonical(schema.rules().get("hr.employees"))
                .replace(SchemaJson.canonical(SSN_OLD), SchemaJson.canonical(SSN_NEW))
                .replace(SchemaJson.canonical(MEDICAL_OLD), SchemaJson.canonical(MEDICAL_NEW))
                .replace(SchemaJson.canonical(HISTORY_A_OLD), SchemaJson.canonical(HISTORY_A_NEW));
        assertThat(ExtendedJson.canonical(rewrite.rules().get("hr.employees"))).isEqualTo(expected);
    }

    @Test
    void keepsPointerKeyIdsAndSaysWhetherTheAltNameFindsTheNewDek() throws IOException {
        SchemaRewrite moved = KeyIdRewriter.rekey(mapping(true), Optional.empty()).rewrite(hrSchema());
        SchemaRewrite notMoved = KeyIdRewriter.rekey(mapping(false), Optional.empty()).rewrite(hrSchema());

        assertThat(moved.pointers()).containsExactly(
                new PointerKeyId("hr.employees", "badge", "/badgeKeyName", AltNameResolution.NEW_DEK));
        assertThat(notMoved.pointers()).extracting(PointerKeyId::resolution).containsExactly(AltNameResolution.OLD_DEK);
        assertThat(moved.rules().get("hr.employees").getDocument("properties").getDocument("badge")
                .getDocument("encrypt").getString("keyId").getValue()).isEqualTo("/badgeKeyName");
    }

    @Test
    void listsKeyIdsThatWouldNameDeksAbsentFromTheVault() throws IOException {
        // HISTORY_B_OLD is not mapped and not in the vault; MEDICAL_NEW was never created.
        Set<UUID> vault = Set.of(SSN_OLD, MEDICAL_OLD, HISTORY_A_OLD, SSN_NEW, HISTORY_A_NEW);

        SchemaRewrite rewrite = KeyIdRewriter.rekey(mapping(true), Optional.of(vault)).rewrite(hrSchema());

        assertThat(rewrite.unknown()).containsExactlyInAnyOrder(
                new UnknownKeyId("hr.employees", "medical.encryptMetadata", MEDICAL_NEW),
                new UnknownKeyId("hr.employees", "history", HISTORY_B_OLD));
        assertThat(rewrite.vaultChecked()).isTrue();
    }

    @Test
    void treatsAFieldNamedEncryptAsAFieldNotARule() throws IOException {
        String text = """
                {"app.events": {"properties": {"encrypt": {"properties": {"secret": {"encrypt": {"keyId": [%s]}}}}}}}
                """.formatted(SchemaJson.canonical(SSN_OLD));
        SchemaFile schema = SchemaSource.readFile(SchemaJson.write(dir, "events.json", text));

        SchemaRewrite rewrite = KeyIdRewriter.rekey(mapping(true), Optional.empty()).rewrite(schema);

        assertThat(rewrite.replaced()).containsExactly(new ReplacedKeyId("app.events", "encrypt.secret", SSN_OLD, SSN_NEW));
    }

    @Test
    void decryptRemovesOnlyTheEncryptBlocksOfTheChosenFields() throws IOException {
        SchemaRewrite rewrite = KeyIdRewriter.decrypt(
                Set.of(new EncryptedField("hr.employees", "ssn"), new EncryptedField("hr.employees", "medical.notes")),
                Optional.empty()).rewrite(hrSchema());

        assertThat(rewrite.removed()).containsExactly(
                new RemovedBlock("hr.employees", "ssn"), new RemovedBlock("hr.employees", "medical.notes"));
        assertThat(rewrite.replaced()).isEmpty();
        BsonDocument properties = rewrite.rules().get("hr.employees").getDocument("properties");
        assertThat(properties.getDocument("ssn")).isEmpty();
        assertThat(properties.getDocument("medical").getDocument("properties").getDocument("notes")).isEmpty();
        assertThat(properties.getDocument("history").containsKey("encrypt")).isTrue();
        assertThat(rewrite.pointers()).extracting(PointerKeyId::resolution).containsExactly(AltNameResolution.UNCHANGED);
    }

    @Test
    void leavesQueryableEncryptionEntriesOfASchemaFileAsTheyAre() throws IOException {
        String text = """
                {"pay.slips": {"fields": [{"path": "iban", "bsonType": "string", "keyId": %s}]},
                 "hr.staff": {"properties": {"ssn": {"encrypt": {"keyId": [%s]}}}}}
                """.formatted(SchemaJson.canonical(SSN_OLD), SchemaJson.canonical(SSN_OLD));
        SchemaFile schema = SchemaSource.readFile(SchemaJson.write(dir, "mixed.json", text));

        SchemaRewrite rewrite = KeyIdRewriter.rekey(mapping(true), Optional.empty()).rewrite(schema);

        assertThat(schema.queryableEncryption()).containsExactly(
                new QueryableEncryptionUse("pay.slips", List.of("iban"), List.of(SSN_OLD)));
        assertThat(rewrite.replaced()).extracting(ReplacedKeyId::namespace).containsExactly("hr.staff");
        assertThat(BsonDocument.parse(schema.render(rewrite.rules())).getDocument("pay.slips"))
                .isEqualTo(schema.content().getDocument("pay.slips"));
    }
}
