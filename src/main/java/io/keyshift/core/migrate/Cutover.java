package io.keyshift.core.migrate;


import java.util.ArrayList;
import java.util.List;

/**
 * What applications must do around a migration, and in which order, so none of them breaks: written
 * once here, printed with the CLI's plan and shown on the Plan page. REWRAP and REKEY put keys under
 * the target while applications run, so every application needs the target's provider beside the
 * source's before the first key moves (or, when both have one name, the new master key right after).
 */
public final class Cutover {

    private Cutover() {
    }

    /** The steps, numbered, in the order they must happen, for a migration from {@code source} to {@code target}. */
    public static List<String> order(Strategy strategy, String source, MigrationRecord.Target target) {
        String to = target == null ? "" : target.provider();
        String deploy = to.equals(source)
                ? "1. Every application is ready to switch its " + source + " provider to the new master key (the settings"
                + " below) right after the run: keys under " + source + " move to it, and a running application keeps each"
                + " data key it opened for its data-key cache time."
                : "1. Every application gets the " + to + " provider beside " + source + " in its kmsProviders (the settings"
                + " below) and is redeployed";
        return switch (strategy) {
            case REWRAP -> List.of(
                    deploy + (to.equals(source) ? "" : ": an application with only " + source + " cannot open a key once it is"
                            + " rewrapped."),
                    "2. KeyShift rewraps the keys under " + underTarget(target) + "; key ids, documents and schemas stay as"
                            + " they are.",
                    "3. Once no key uses " + (to.equals(source) ? "the old master key" : source) + " any more, applications"
                            + " drop " + (to.equals(source) ? "it" : "the " + source + " provider") + " and "
                            + oldMaterial(source) + " is retired.");
            case REKEY -> List.of(
                    deploy + (to.equals(source) ? "" : ": the new keys are under " + underTarget(target) + ", the old ones"
                            + " under " + source + " until every value moves."),
                    "2. KeyShift creates the new keys; applications switch to the rewritten schema map (the Schema step), so"
                            + " new writes use the new keys.",
                    "3. KeyShift re-encrypts every value, then reads everything once more: it converts what was written under an"
                            + " old key meanwhile, and verifies with only the " + to + " provider that every value decrypts.",
                    "4. Once verified and the applications' 60 s data-key cache has turned over, applications drop the "
                            + (to.equals(source) ? "old master key" : source + " provider") + "; the old keys are deleted"
                            + " later, deliberately.");
            case DECRYPT -> List.of(
                    "1. Applications keep their kmsProviders; they switch to the schema map without the encrypt rules of the"
                            + " decrypted fields (the Schema step), so new writes are plaintext.",
                    "2. KeyShift replaces every value by its plaintext, then verifies that no ciphertext of the keys is left.",
                    "3. Applications that use no other key then drop client-side encryption; the keys are deleted later,"
                            + " deliberately.");
        };
    }

    private static String underTarget(MigrationRecord.Target target) {
        if (target == null) { // no target chosen yet
            return "the target master key";
        }
        return switch (target.type()) {
            case "aws" -> "the CMK";
            case "local" -> "the new local master key";
            default -> target.provider() + "'s key";
        };
    }

    private static String oldMaterial(String source) {
        return source.startsWith("local") ? "the " + source + " key file" : "the " + source + " master key";
    }

    /**
     * The kmsProviders every application deploys before the run: the provider it has today beside the
     * target's (only the target's when both have one name), and the target's masterKey for the data keys
     * they create. Empty for DECRYPT, which needs no new provider. No secret: placeholders name where
     * each comes from.
     */
    public static String bothProviders(Strategy strategy, String sourceProvider, MigrationRecord.Target target) {
        if (strategy == Strategy.DECRYPT) {
            return "";
        }
        String to = target.provider();
        String targetEntry = "  " + entry(to, true);
        String masterKey = target.masterKey().isEmpty() ? "" : "\n\"masterKey\": " + target.masterKey().toJson();
        if (to.equals(sourceProvider)) {
            return "\"kmsProviders\": {\n" + targetEntry + "\n}" + tlsOptions(to) + masterKey;
        }
        return "\"kmsProviders\": {\n"
                + "  " + entry(sourceProvider, false) + ",\n"
                + targetEntry + "\n"
                + "}" + tlsOptions(sourceProvider) + tlsOptions(to) + masterKey;
    }

    /** One provider's kmsProviders entry, with placeholders where its credentials go. */
    private static String entry(String provider, boolean target) {
        String type = provider.contains(":") ? provider.substring(0, provider.indexOf(':')) : provider;
        String body = switch (type) {
            case "local" -> "{ \"key\": <the 96-byte " + (target ? "new " : "") + "local master key"
                    + (target ? "" : " the application uses today") + "> }";
            case "aws" -> "{ \"accessKeyId\": <AWS_ACCESS_KEY_ID>, \"secretAccessKey\": <AWS_SECRET_ACCESS_KEY> }";
            case "kmip" -> "{ \"endpoint\": <host:port of the KMIP server> }";
            case "azure" -> "{ \"tenantId\": <AZURE_TENANT_ID>, \"clientId\": <AZURE_CLIENT_ID>, \"clientSecret\":"
                    + " <AZURE_CLIENT_SECRET> }";
            case "gcp" -> "{ \"email\": <the service account's email>, \"privateKey\": <its private key> }";
            default -> "{ <the credentials of provider " + provider + "> }";
        };
        return "\"" + provider + "\": " + body;
    }

    /** A KMIP provider also needs the client certificate it authenticates with. */
    private static String tlsOptions(String provider) {
        return provider.startsWith("kmip") ? "\n\"tlsOptions\": { \"" + provider + "\": { \"tlsCAFile\": <the KMIP server's CA"
                + " file>, \"tlsCertificateKeyFile\": <the client certificate and key PEM> } }" : "";
    }

    /** The order and the settings as the CLI prints them after the plan. */
    public static List<String> describe(Strategy strategy, String sourceProvider, MigrationRecord.Target target) {
        List<String> lines = new ArrayList<>();
        lines.add("Application cutover, in this order:");
        order(strategy, sourceProvider, target).forEach(step -> lines.add("  " + step));
        String settings = target == null ? "" : bothProviders(strategy, sourceProvider, target);
        if (!settings.isEmpty()) {
            lines.add("  " + (target.provider().equals(sourceProvider) ? "The settings" : "Both providers")
                    + ", to deploy in every application " + (target.provider().equals(sourceProvider)
                    ? "right after the run:" : "before the run:"));
            settings.lines().forEach(line -> lines.add("    " + line));
        }
        return lines;
    }
}
