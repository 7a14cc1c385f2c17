package io.keyshift.ui.verify;

import io.keyshift.core.migrate.MigrationRecord;

import java.util.Optional;

/**
 * What an application needs after the migration to use the keys through AWS KMS: its kmsProviders
 * entry and the masterKey for new data keys, in Java, Node.js and Python. While a data key the
 * applications use is still under the local provider, kmsProviders keeps that provider beside aws.
 * No secret: the snippets read the credentials, and the local key file's path, from the environment.
 */
final class ApplicationSettings {

    /** The environment variable the snippets read the local master key file's path from. */
    static final String LOCAL_KEY_FILE_VARIABLE = "LOCAL_MASTER_KEY_FILE";

    private ApplicationSettings() {
    }

    /** @param local the local provider to keep beside aws ({@code local}, {@code local:old}); empty for aws only */
    static String java(MigrationRecord.Target target, Optional<String> local) {
        String aws = "\"aws\", Map.of(\n"
                + "        \"accessKeyId\", System.getenv(\"AWS_ACCESS_KEY_ID\"),\n"
                + "        \"secretAccessKey\", System.getenv(\"AWS_SECRET_ACCESS_KEY\"))";
        return "Map<String, Map<String, Object>> kmsProviders = Map.of(" + local.map(name -> "\n        \"" + name
                + "\", Map.of(\"key\", Files.readAllBytes(Path.of(System.getenv(\"" + LOCAL_KEY_FILE_VARIABLE + "\")))),\n"
                + "        ").orElse("") + aws + ");\n"
                + "BsonDocument masterKey = new BsonDocument(\"region\", new BsonString(\"" + target.region() + "\"))\n"
                + "        .append(\"key\", new BsonString(\"" + target.cmk() + "\"))"
                + (target.endpoint() == null ? "" : "\n        .append(\"endpoint\", new BsonString(\"" + target.endpoint() + "\"))")
                + ";\n";
    }

    static String node(MigrationRecord.Target target, Optional<String> local) {
        return "const kmsProviders = { " + local.map(name -> "'" + name + "': { key: fs.readFileSync(process.env."
                + LOCAL_KEY_FILE_VARIABLE + ") }, ").orElse("")
                + "aws: {} }; // aws credentials from the environment (driver 6+ with @aws-sdk/credential-providers)\n"
                + "const masterKey = { region: '" + target.region() + "', key: '" + target.cmk() + "'"
                + (target.endpoint() == null ? "" : ", endpoint: '" + target.endpoint() + "'") + " };\n";
    }

    static String python(MigrationRecord.Target target, Optional<String> local) {
        return "kms_providers = {" + local.map(name -> "\"" + name + "\": {\"key\": open(os.environ[\""
                + LOCAL_KEY_FILE_VARIABLE + "\"], \"rb\").read()}, ").orElse("")
                + "\"aws\": {}}  # aws credentials from the environment (pymongo[aws])\n"
                + "master_key = {\"region\": \"" + target.region() + "\", \"key\": \"" + target.cmk() + "\""
                + (target.endpoint() == null ? "" : ", \"endpoint\": \"" + target.endpoint() + "\"") + "}\n";
    }

    /** All three, headed by language. */
    static String all(MigrationRecord.Target target, Optional<String> local) {
        return "// Java (mongodb-driver-sync)\n" + java(target, local) + "\n// Node.js (mongodb)\n" + node(target, local)
                + "\n# Python (pymongo)\n" + python(target, local);
    }
}
