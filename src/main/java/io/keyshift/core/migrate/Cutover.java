package io.keyshift.core.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * What applications must do around a migration, and in which order, so none of them breaks: written
 * once here, printed with the CLI's plan and shown on the Plan page. REWRAP and REKEY put keys under
 * the CMK while applications run, so every application needs the aws provider beside the local one
 * before the first key moves.
 */
public final class Cutover {

    private Cutover() {
    }

    /** The steps, numbered, in the order they must happen. */
    public static List<String> order(Strategy strategy) {
        return switch (strategy) {
            case REWRAP -> List.of(
                    "1. Every application gets the aws provider beside local in its kmsProviders (the settings below) and is"
                            + " redeployed: an application with only local cannot open a key once it is rewrapped.",
                    "2. KeyShift rewraps the keys under the CMK; key ids, documents and schemas stay as they are.",
                    "3. Once no key uses local any more, applications drop the local provider and the local key file is retired.");
            case REKEY -> List.of(
                    "1. Every application gets the aws provider beside local in its kmsProviders (the settings below) and is"
                            + " redeployed: the new keys are under the CMK, the old ones under local until every value moves.",
                    "2. KeyShift creates the new keys; applications switch to the rewritten schema map (the Schema step), so"
                            + " new writes use the new keys.",
                    "3. KeyShift re-encrypts every value, runs a catch-up pass, then verifies with only the aws provider.",
                    "4. Once verified and the applications' 60 s data-key cache has turned over, applications drop the local"
                            + " provider; the old keys are deleted later, deliberately.");
            case DECRYPT -> List.of(
                    "1. Applications keep their kmsProviders; they switch to the schema map without the encrypt rules of the"
                            + " decrypted fields (the Schema step), so new writes are plaintext.",
                    "2. KeyShift replaces every value by its plaintext, then verifies that no ciphertext of the keys is left.",
                    "3. Applications that use no other key then drop client-side encryption; the keys are deleted later,"
                            + " deliberately.");
        };
    }

    /**
     * The kmsProviders every application deploys before the run: the provider it has today beside aws.
     * Empty for DECRYPT, which needs no new provider. No secret: placeholders name where each comes from.
     */
    public static String bothProviders(Strategy strategy, String sourceProvider) {
        if (strategy == Strategy.DECRYPT) {
            return "";
        }
        return "\"kmsProviders\": {\n"
                + "  \"" + sourceProvider + "\": { \"key\": <the 96-byte local master key the application uses today> },\n"
                + "  \"aws\": { \"accessKeyId\": <AWS_ACCESS_KEY_ID>, \"secretAccessKey\": <AWS_SECRET_ACCESS_KEY> }\n"
                + "}";
    }

    /** The order and the settings as the CLI prints them after the plan. */
    public static List<String> describe(Strategy strategy, String sourceProvider) {
        List<String> lines = new ArrayList<>();
        lines.add("Application cutover, in this order:");
        order(strategy).forEach(step -> lines.add("  " + step));
        String settings = bothProviders(strategy, sourceProvider);
        if (!settings.isEmpty()) {
            lines.add("  Both providers, to deploy in every application before the run:");
            settings.lines().forEach(line -> lines.add("    " + line));
        }
        return lines;
    }
}
