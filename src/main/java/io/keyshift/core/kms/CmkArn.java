package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The customer master key as the user named it: a key ARN, an alias ARN, or {@code alias/NAME} (which
 * takes its region and account from the credentials). The text is passed to KMS and to the driver as
 * it was given, so an alias keeps working after the key behind it is rotated.
 */
public final class CmkArn {

    /** Whether the CMK is named by its key id or by an alias. */
    public enum Kind { KEY, ALIAS }

    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

    private static final String SHAPES = "expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID,"
            + " arn:aws:kms:REGION:ACCOUNT:alias/NAME or alias/NAME";
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-us-gov", "aws-cn");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern KEY_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");
    private static final Pattern ALIAS_NAME = Pattern.compile("[A-Za-z0-9/_-]{1,250}");
    private static final String ALIAS_PREFIX = "alias/";
    private static final String KEY_PREFIX = "key/";

    private final String text;
    private final Kind kind;
    private final String region;
    private final String account;

    private CmkArn(String text, Kind kind, String region, String account) {
        this.text = text;
        this.kind = kind;
        this.region = region;
        this.account = account;
    }

    /**
     * Parses what the user typed, or refuses it with a sentence that shows the expected shape. Input
     * that is not shaped like an ARN or alias is never echoed: it may be a secret pasted into the wrong
     * field.
     */
    public static CmkArn parse(String input) {
        String text = input == null ? "" : input.strip();
        if (text.isEmpty()) {
            throw refused("No CMK was given");
        }
        if (text.startsWith(ALIAS_PREFIX)) {
            requireAliasName(text.substring(ALIAS_PREFIX.length()));
            return new CmkArn(text, Kind.ALIAS, null, null);
        }
        if (KEY_ID.matcher(text).matches()) {
            throw new KeyShiftException("The CMK " + text + " is a bare key id: give its full ARN,"
                    + " arn:aws:kms:REGION:ACCOUNT:key/" + text + ".");
        }
        if (!text.startsWith("arn:")) {
            throw refused("The CMK is not a KMS key ARN or alias");
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6) {
            throw refused("The CMK ARN " + text + " is incomplete");
        }
        String partition = parts[1];
        String service = parts[2];
        String region = parts[3];
        String account = parts[4];
        String resource = parts[5];
        if (!PARTITIONS.contains(partition)) {
            throw refused("The CMK ARN's partition \"" + partition + "\" is not aws, aws-us-gov or aws-cn");
        }
        if (!"kms".equals(service)) {
            throw refused("The ARN " + text + " is for the service \"" + service + "\", not KMS");
        }
        if (!REGION.matcher(region).matches()) {
            throw refused("The CMK ARN's region \"" + region + "\" is not an AWS region such as us-east-1");
        }
        if (!partitionServes(partition, region)) {
            throw refused("The CMK ARN's partition " + partition + " has no region " + region);
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw refused("The CMK ARN's account \"" + account + "\" is not a 12-digit AWS account id");
        }
        if (resource.startsWith(KEY_PREFIX)) {
            String keyId = resource.substring(KEY_PREFIX.length());
            if (!KEY_ID.matcher(keyId).matches()) {
                throw refused("The CMK ARN's key id \"" + keyId + "\" is not a KMS key id"
                        + " (a lower-case UUID, or mrk- and 32 hex digits for a multi-Region key)");
            }
            return new CmkArn(text, Kind.KEY, region, account);
        }
        if (resource.startsWith(ALIAS_PREFIX)) {
            requireAliasName(resource.substring(ALIAS_PREFIX.length()));
            return new CmkArn(text, Kind.ALIAS, region, account);
        }
        throw refused("The CMK ARN " + text + " names \"" + resource + "\", neither a key/ nor an alias/");
    }

    private static void requireAliasName(String name) {
        if (!ALIAS_NAME.matcher(name).matches()) {
            throw refused("The alias name \"" + name + "\" is not valid (letters, digits, / _ and - only)");
        }
        if (name.startsWith("aws/")) {
            throw new KeyShiftException("alias/" + name + " is an AWS managed key, which only AWS services may"
                    + " use: create a customer managed key and give its ARN or alias.");
        }
    }

    private static boolean partitionServes(String partition, String region) {
        return switch (partition) {
            case "aws-cn" -> region.startsWith("cn-");
            case "aws-us-gov" -> region.startsWith("us-gov-");
            default -> !region.startsWith("cn-") && !region.startsWith("us-gov-");
        };
    }

    private static KeyShiftException refused(String what) {
        return new KeyShiftException(what + ": " + SHAPES + ".");
    }

    /** The CMK exactly as KMS and the driver's {@code masterKey.key} take it. */
    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    /** The region written in the ARN; empty for {@code alias/NAME}, which uses the configured region. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** The account written in the ARN; empty for {@code alias/NAME}, which means the caller's account. */
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CmkArn that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
