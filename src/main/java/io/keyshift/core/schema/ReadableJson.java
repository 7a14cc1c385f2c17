package io.keyshift.core.schema;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.json.StrictJsonWriter;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a DBA reads in a schema diff: Extended JSON with every UUID written as {@code {"$uuid": …}}
 * instead of base64, followed on its line by the key's alt names. For reading only; what is written
 * stays canonical.
 */
final class ReadableJson {

    private static final JsonWriterSettings READABLE = JsonWriterSettings.builder()
            .outputMode(JsonMode.EXTENDED)
            .indent(true)
            .binaryConverter(ReadableJson::writeBinary)
            .build();
    private static final Pattern UUID_LINE = Pattern.compile("\"\\$uuid\": \"([0-9a-f-]{36})\"");
    /** A namespace is a top-level key: two spaces of indent in the pretty form. */
    private static final Pattern NAMESPACE_LINE = Pattern.compile("^  \"(.+)\": \\{$");
    private static final Pattern HUNK_HEADER = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+\\d+(?:,\\d+)? @@$");

    private ReadableJson() {
    }

    /** {@code canonical} (a rendered schema source) as readable lines. */
    static List<String> lines(String canonical, Map<UUID, List<String>> altNames) {
        List<String> pretty = BsonDocument.parse(canonical).toJson(READABLE).lines().toList();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pretty.size(); i++) {
            // The pretty writer spreads {"$uuid": …} over three lines; one keyId reads best on one.
            if (i + 2 < pretty.size() && pretty.get(i).endsWith("{") && UUID_LINE.matcher(pretty.get(i + 1)).find()
                    && pretty.get(i + 2).strip().startsWith("}")) {
                lines.add(withAltNames(pretty.get(i) + pretty.get(i + 1).strip() + pretty.get(i + 2).strip(), altNames));
                i += 2;
            } else {
                lines.add(pretty.get(i));
            }
        }
        return lines;
    }

    /** Appends the namespace each hunk starts in to its header, as git appends a function name. */
    static List<String> nameHunks(List<String> unified, List<String> beforeLines) {
        List<String> named = new ArrayList<>();
        for (String line : unified) {
            Matcher hunk = HUNK_HEADER.matcher(line);
            named.add(hunk.matches() ? line + namespaceAt(Integer.parseInt(hunk.group(1)), beforeLines) : line);
        }
        return named;
    }

    /** The namespace whose rules hold line {@code number} (1-based), searching upwards. */
    private static String namespaceAt(int number, List<String> lines) {
        for (int i = Math.min(number, lines.size()) - 1; i >= 0; i--) {
            Matcher namespace = NAMESPACE_LINE.matcher(lines.get(i));
            if (namespace.matches()) {
                return " " + namespace.group(1);
            }
        }
        return "";
    }

    private static String withAltNames(String line, Map<UUID, List<String>> altNames) {
        Matcher uuid = UUID_LINE.matcher(line);
        if (!uuid.find()) {
            return line;
        }
        List<String> names = altNames.getOrDefault(UUID.fromString(uuid.group(1)), List.of());
        return names.isEmpty() ? line : line + "  // " + String.join(", ", names);
    }

    private static void writeBinary(BsonBinary binary, StrictJsonWriter writer) {
        writer.writeStartObject();
        if (binary.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && binary.getData().length == 16) {
            writer.writeString("$uuid", binary.asUuid().toString());
        } else {
            writer.writeStartObject("$binary");
            writer.writeString("base64", Base64.getEncoder().encodeToString(binary.getData()));
            writer.writeString("subType", HexFormat.of().toHexDigits(binary.getType()));
            writer.writeEndObject();
        }
        writer.writeEndObject();
    }
}
