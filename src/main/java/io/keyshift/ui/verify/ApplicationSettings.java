package io.keyshift.ui.verify;

import io.keyshift.core.migrate.MigrationRecord;

/**
 * What an application needs after the migration to use the keys through AWS KMS: its kmsProviders
 * entry and the masterKey for new data keys, in Java, Node.js and Python. No secret: the snippets read
 * the credentials from the environment, where the AWS SDKs and the drivers look for them.
 */
final class ApplicationSettings {

    private ApplicationSettings() {
    }

    static String java(MigrationRecord.Target target) {
        return "Map<String, Map<String, Object>> kmsProviders = Map.of(\"aws\", Map.of(\n"
                + "        \"accessKeyId\", System.getenv(\"AWS_ACCESS_KEY_ID\"),\n"
                + "        \"secretAccessKey\", System.getenv(\"AWS_SECRET_ACCESS_KEY\")));\n"
                + "BsonDocument masterKey = new BsonDocument(\"region\", new BsonString(\"" + target.region() + "\"))\n"
                + "        .append(\"key\", new BsonString(\"" + target.cmk() + "\"))"
                + (target.endpoint() == null ? "" : "\n        .append(\"endpoint\", new BsonString(\"" + target.endpoint() + "\"))")
                + ";\n";
    }

    static String node(MigrationRecord.Target target) {
        return "const kmsProviders = { aws: {} }; // credentials from the environment (driver 6+ with @aws-sdk/credential-providers)\n"
                + "const masterKey = { region: '" + target.region() + "', key: '" + target.cmk() + "'"
                + (target.endpoint() == null ? "" : ", endpoint: '" + target.endpoint() + "'") + " };\n";
    }

    static String python(MigrationRecord.Target target) {
        return "kms_providers = {\"aws\": {}}  # credentials from the environment (pymongo[aws])\n"
                + "master_key = {\"region\": \"" + target.region() + "\", \"key\": \"" + target.cmk() + "\""
                + (target.endpoint() == null ? "" : ", \"endpoint\": \"" + target.endpoint() + "\"") + "}\n";
    }

    /** All three, headed by language. */
    static String all(MigrationRecord.Target target) {
        return "// Java (mongodb-driver-sync)\n" + java(target) + "\n// Node.js (mongodb)\n" + node(target)
                + "\n# Python (pymongo)\n" + python(target);
    }
}
