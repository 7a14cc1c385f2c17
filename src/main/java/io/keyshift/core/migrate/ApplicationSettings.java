package io.keyshift.core.migrate;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an application needs after a migration to use its keys: the kmsProviders entry of the target's
 * provider (beside the source's while a data key the applications use is still under it), the TLS
 * options a KMIP server needs, and the masterKey for new data keys — in Java, Node.js and Python, for
 * every provider type (local, aws, azure, gcp, kmip). Shown on the Verify page and printed by the CLI.
 * No secret: credentials and key files are read from environment variables the snippets name.
 */
public final class ApplicationSettings {

    /** The environment variable the snippets read a local master key file's path from. */
    static final String LOCAL_KEY_FILE_VARIABLE = "LOCAL_MASTER_KEY_FILE";
    /** The same for the new local key file, when the source the applications keep is a local key too. */
    static final String NEW_LOCAL_KEY_FILE_VARIABLE = "NEW_LOCAL_MASTER_KEY_FILE";

    private enum Language { JAVA, NODE, PYTHON }

    private final MigrationRecord.Target target;
    private final Optional<String> keptSource;

    private ApplicationSettings(MigrationRecord.Target target, Optional<String> keptSource) {
        this.target = target;
        // Two providers cannot share a name: after a same-name rotation only the new master key is deployed.
        this.keptSource = keptSource.filter(source -> !source.equals(target.provider()));
    }

    /**
     * @param target     where the keys went
     * @param keptSource the source provider to keep beside the target ({@code local}, {@code aws:old}); empty
     *                   once no data key the applications use is under it
     */
    public static ApplicationSettings of(MigrationRecord.Target target, Optional<String> keptSource) {
        return new ApplicationSettings(target, keptSource);
    }

    /** All three, headed by language. */
    public String all() {
        return "// Java (mongodb-driver-sync)\n" + java() + "\n// Node.js (mongodb)\n" + node() + "\n# Python (pymongo)\n"
                + python();
    }

    String java() {
        String entries = providers().stream().map(name -> "        \"" + name + "\", " + credentials(Language.JAVA, name))
                .collect(Collectors.joining(",\n"));
        String masterKey = target.masterKey().entrySet().stream()
                .map(field -> "\"" + field.getKey() + "\", " + java(field.getValue()))
                .collect(Collectors.collectingAndThen(Collectors.toList(), fields -> fields.isEmpty() ? "new BsonDocument()"
                        : "new BsonDocument(" + fields.get(0) + ")" + fields.stream().skip(1)
                        .map(field -> "\n        .append(" + field + ")").collect(Collectors.joining())));
        return "Map<String, Map<String, Object>> kmsProviders = Map.of(\n" + entries + ");\n"
                + gcpKeyNote("//") + kmipTls(Language.JAVA)
                + "BsonDocument masterKey = " + masterKey + ";\n";
    }

    String node() {
        String entries = providers().stream().map(name -> "'" + name + "': " + credentials(Language.NODE, name))
                .collect(Collectors.joining(", "));
        String masterKey = target.masterKey().entrySet().stream()
                .map(field -> field.getKey() + ": " + script(field.getValue(), "'", "true", "false"))
                .collect(Collectors.joining(", "));
        return "const kmsProviders = { " + entries + " };" + onDemandNote("driver 6+ with @aws-sdk/credential-providers")
                + "\n" + gcpKeyNote("//") + kmipTls(Language.NODE)
                + "const masterKey = {" + (masterKey.isEmpty() ? "" : " " + masterKey + " ") + "};\n";
    }

    String python() {
        String entries = providers().stream().map(name -> "\"" + name + "\": " + credentials(Language.PYTHON, name))
                .collect(Collectors.joining(", "));
        String masterKey = target.masterKey().entrySet().stream()
                .map(field -> "\"" + field.getKey() + "\": " + script(field.getValue(), "\"", "True", "False"))
                .collect(Collectors.joining(", "));
        return "kms_providers = {" + entries + "}" + onDemandNote("pymongo[aws]").replace("//", " #") + "\n"
                + gcpKeyNote("#") + kmipTls(Language.PYTHON)
                + "master_key = {" + masterKey + "}\n";
    }

    /** The kept source first, then the target. */
    private List<String> providers() {
        List<String> names = new ArrayList<>();
        keptSource.ifPresent(names::add);
        names.add(target.provider());
        return names;
    }

    /** One provider's credentials, read from the environment: never a secret in the snippet. */
    private String credentials(Language language, String name) {
        String type = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return switch (type) {
            case "local" -> localKey(language, name.equals(target.provider())
                    && keptSource.filter(source -> source.startsWith("local")).isPresent()
                    ? NEW_LOCAL_KEY_FILE_VARIABLE : LOCAL_KEY_FILE_VARIABLE);
            // Plain aws takes Node's and Python's on-demand credentials; a named one needs explicit ones.
            case "aws" -> language != Language.JAVA && name.equals("aws") ? "{}" : fromEnvironment(language, Map.of(
                    "accessKeyId", "AWS_ACCESS_KEY_ID", "secretAccessKey", "AWS_SECRET_ACCESS_KEY"));
            case "azure" -> fromEnvironment(language, Map.of("tenantId", "AZURE_TENANT_ID", "clientId", "AZURE_CLIENT_ID",
                    "clientSecret", "AZURE_CLIENT_SECRET"));
            case "gcp" -> fromEnvironment(language, Map.of("email", "GCP_SERVICE_ACCOUNT_EMAIL",
                    "privateKey", "GCP_PRIVATE_KEY"));
            case "kmip" -> fromEnvironment(language, Map.of("endpoint", "KMIP_ENDPOINT"));
            default -> throw new IllegalArgumentException("no settings for provider " + name);
        };
    }

    private static String localKey(Language language, String variable) {
        return switch (language) {
            case JAVA -> "Map.of(\"key\", Files.readAllBytes(Path.of(System.getenv(\"" + variable + "\"))))";
            case NODE -> "{ key: fs.readFileSync(process.env." + variable + ") }";
            case PYTHON -> "{\"key\": open(os.environ[\"" + variable + "\"], \"rb\").read()}";
        };
    }

    /** Fields in a fixed order (the map's keys sorted), each read from its environment variable. */
    private static String fromEnvironment(Language language, Map<String, String> variables) {
        List<String> fields = variables.keySet().stream().sorted().toList();
        return switch (language) {
            case JAVA -> "Map.of(" + fields.stream().map(field -> "\n            \"" + field + "\", System.getenv(\""
                    + variables.get(field) + "\")").collect(Collectors.joining(",")) + ")";
            case NODE -> "{ " + fields.stream().map(field -> field + ": process.env." + variables.get(field))
                    .collect(Collectors.joining(", ")) + " }";
            case PYTHON -> "{" + fields.stream().map(field -> "\"" + field + "\": os.environ[\"" + variables.get(field) + "\"]")
                    .collect(Collectors.joining(", ")) + "}";
        };
    }

    private String onDemandNote(String library) {
        return providers().contains("aws") ? " // aws credentials from the environment (" + library + ")" : "";
    }

    /** What the GCP variables hold: the drivers take the service account's key as base64 DER, not as the PEM of its file. */
    private String gcpKeyNote(String comment) {
        return providers().stream().anyMatch(name -> name.startsWith("gcp")) ? comment + " GCP_SERVICE_ACCOUNT_EMAIL and"
                + " GCP_PRIVATE_KEY: client_email and private_key of the service account's JSON key file, the key as base64"
                + " without its BEGIN/END lines\n" : "";
    }

    /** A KMIP server authenticates the client by its certificate: the driver's TLS options for it. */
    private String kmipTls(Language language) {
        List<String> kmip = providers().stream().filter(name -> name.startsWith("kmip")).toList();
        if (kmip.isEmpty()) {
            return "";
        }
        return switch (language) {
            case JAVA -> "// and in AutoEncryptionSettings: .kmsProviderSslContextMap(Map.of(" + kmip.stream()
                    .map(name -> "\"" + name + "\", sslContext").collect(Collectors.joining(", ")) + ")), an SSLContext"
                    + " trusting KMIP_CA_FILE with the client certificate and key of KMIP_CLIENT_CERT_FILE\n";
            case NODE -> "const tlsOptions = { " + kmip.stream().map(name -> "'" + name + "': { tlsCAFile:"
                    + " process.env.KMIP_CA_FILE, tlsCertificateKeyFile: process.env.KMIP_CLIENT_CERT_FILE }")
                    .collect(Collectors.joining(", ")) + " };\n";
            case PYTHON -> "kms_tls_options = {" + kmip.stream().map(name -> "\"" + name + "\": {\"tlsCAFile\":"
                    + " os.environ[\"KMIP_CA_FILE\"], \"tlsCertificateKeyFile\": os.environ[\"KMIP_CLIENT_CERT_FILE\"]}")
                    .collect(Collectors.joining(", ")) + "}\n";
        };
    }

    private static String java(BsonValue value) {
        return value.isBoolean() ? "BsonBoolean.valueOf(" + value.asBoolean().getValue() + ")"
                : "new BsonString(\"" + text(value) + "\")";
    }

    private static String script(BsonValue value, String quote, String yes, String no) {
        return value.isBoolean() ? (value.asBoolean().getValue() ? yes : no) : quote + text(value) + quote;
    }

    /** A string as it is; any other value as its JSON. */
    private static String text(BsonValue value) {
        if (value.isString()) {
            return value.asString().getValue();
        }
        String json = new BsonDocument("v", value).toJson();
        return json.substring(json.indexOf(':') + 1, json.length() - 1).strip();
    }
}
