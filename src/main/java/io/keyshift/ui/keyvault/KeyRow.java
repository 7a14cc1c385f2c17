package io.keyshift.ui.keyvault;

import io.keyshift.core.keyvault.DataKey;
import io.keyshift.core.scan.KeyUse;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** One data key in the table: what the vault says, where it is used, and whether it is to be migrated. */
public final class KeyRow {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final DataKey key;
    private final List<KeyUse> uses;
    private final BooleanProperty selected = new SimpleBooleanProperty();

    public KeyRow(DataKey key, List<KeyUse> uses) {
        this.key = key;
        this.uses = List.copyOf(uses);
    }

    public DataKey key() {
        return key;
    }

    public String id() {
        return key.id().toString();
    }

    public String altNames() {
        return String.join(", ", key.keyAltNames());
    }

    public String provider() {
        return key.masterKey().provider();
    }

    public String masterKey() {
        return key.masterKey().summary();
    }

    public String created() {
        return date(key.creationDate());
    }

    public String updated() {
        return date(key.updateDate());
    }

    public List<KeyUse> uses() {
        return uses;
    }

    /** The fields per collection, without counts: {@code hr.employees: ssn, phones.$}. */
    public String usedBy() {
        if (uses.isEmpty()) {
            return "—";
        }
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        uses.forEach(use -> fields.computeIfAbsent(use.namespace(), namespace -> new LinkedHashSet<>())
                .add(use.path().isEmpty() ? "(whole document)" : use.path()));
        return fields.entrySet().stream().map(entry -> entry.getKey() + ": " + String.join(", ", entry.getValue()))
                .collect(Collectors.joining("; "));
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    /** True when the search text (case-insensitive) appears in any column. */
    public boolean matches(String search) {
        if (search == null || search.isBlank()) {
            return true;
        }
        String needle = search.strip().toLowerCase(Locale.ROOT);
        return List.of(id(), altNames(), provider(), masterKey(), usedBy()).stream()
                .anyMatch(text -> text.toLowerCase(Locale.ROOT).contains(needle));
    }

    /** Every field, for the detail pane and for copying. */
    public String details() {
        StringBuilder text = new StringBuilder(id()).append('\n')
                .append("alt names  ").append(key.keyAltNames().isEmpty() ? "—" : altNames()).append('\n')
                .append("provider   ").append(provider()).append('\n');
        key.masterKey().fields().forEach((name, value) -> text.append(name).append("  ").append(value).append('\n'));
        text.append("created    ").append(instant(key.creationDate())).append('\n')
                .append("updated    ").append(instant(key.updateDate())).append('\n')
                .append("status     ").append(key.status() == null ? "—" : key.status()).append('\n')
                .append("used by    ").append(uses.isEmpty() ? "nothing seen" : "").append('\n');
        uses.forEach(use -> text.append("  ").append(use).append('\n'));
        return text.toString();
    }

    /** The day, for the table; the detail pane shows the instant. */
    private static String date(Instant instant) {
        return instant == null ? "—" : DATE.format(instant);
    }

    private static String instant(Instant instant) {
        return instant == null ? "—" : instant.toString();
    }
}
