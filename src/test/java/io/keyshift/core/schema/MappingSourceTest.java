package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingSourceTest {

    private static final UUID OLD = UUID.fromString("11111111-1111-4111-8111-111111111111");
    private static final UUID NEW = UUID.fromString("aaaaaaaa-1111-4111-8111-111111111111");
    private static final UUID OLD_2 = UUID.fromString("22222222-2222-4222-8222-222222222222");

    @TempDir
    Path dir;

    @Test
    void readsAMappingFileOfOldToNewUuids() throws IOException {
        Path file = SchemaJson.write(dir, "mapping.json", "{\"" + OLD + "\": \"" + NEW + "\"}");

        DekMapping mapping = MappingSource.readFile(file, true);

        assertThat(mapping.oldToNew()).isEqualTo(Map.of(OLD, NEW));
        assertThat(mapping.altNamesMoved()).isTrue();
    }

    @Test
    void refusesAValueThatIsNotAUuid() throws IOException {
        Path file = SchemaJson.write(dir, "mapping.json", "{\"" + OLD + "\": \"new-key\"}");

        assertThatThrownBy(() -> MappingSource.readFile(file, false))
                .isInstanceOf(KeyShiftException.class)
                .hasMessage("The mapping file " + file + " has a value for " + OLD + ", which is not a DEK id: write DEK"
                        + " ids as UUIDs such as 0f8fad5b-d9cb-469f-a165-70867728950e.");
    }

    @Test
    void refusesTwoOldDeksMappedToOneNewDek() throws IOException {
        Path file = SchemaJson.write(dir, "mapping.json",
                "{\"" + OLD + "\": \"" + NEW + "\", \"" + OLD_2 + "\": \"" + NEW + "\"}");

        assertThatThrownBy(() -> MappingSource.readFile(file, false)).hasMessageContaining("maps two old DEKs to " + NEW);
    }

    @Test
    void namesLineAndColumnOfAMappingFileThatIsNotJson() throws IOException {
        Path file = SchemaJson.write(dir, "mapping.json", "{\n  \"" + OLD + "\" \"" + NEW + "\"\n}");

        assertThatThrownBy(() -> MappingSource.readFile(file, false))
                .hasMessageContaining("The mapping file " + file + " is not valid JSON: expected ':' at line 2, column 42");
    }

    @Test
    void readsTheJournalsDekMappingOfUuidPairs() {
        BsonDocument entry = BsonDocument.parse("""
                {"_id": "m-1", "strategy": "REKEY", "altNamesMoved": true,
                 "dekMapping": [{"old": {"$uuid": "%s"}, "new": {"$uuid": "%s"}}]}
                """.formatted(OLD, NEW));

        DekMapping mapping = MappingSource.journalMapping(entry, "Migration m-1");

        assertThat(mapping).isEqualTo(new DekMapping(Map.of(OLD, NEW), true));
    }

    @Test
    void explainsAJournalEntryWithoutDekMapping() {
        BsonDocument rewrap = BsonDocument.parse("{\"_id\": \"m-2\", \"strategy\": \"REWRAP\"}");

        assertThatThrownBy(() -> MappingSource.journalMapping(rewrap, "Migration m-2"))
                .hasMessageStartingWith("Migration m-2 has no dekMapping: a REWRAP migration changes no schema");
    }
}
