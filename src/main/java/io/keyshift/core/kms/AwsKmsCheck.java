package io.keyshift.core.kms;

import io.keyshift.core.kms.KmsCheck.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves, before anything is written, that an {@link AwsTarget} will work: the credentials resolve and
 * are accepted, the key exists, is enabled, symmetric and for ENCRYPT_DECRYPT, sits in the configured
 * region, and the caller may Encrypt and Decrypt with it. It calls STS and KMS only (Encrypt and
 * Decrypt create nothing) and never touches MongoDB.
 *
 * <p>Runs on the caller's thread and blocks for a few seconds at most per call (see {@link AwsClients}).
 */
public final class AwsKmsCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AwsKmsCheck.class);

    public static final KmsCheck.Name CREDENTIALS = new KmsCheck.Name("credentials", "Credentials");
    public static final KmsCheck.Name REGION = new KmsCheck.Name("region", "Region matches the key");
    public static final KmsCheck.Name CALLER_IDENTITY = new KmsCheck.Name("caller_identity", "Caller identity");
    public static final KmsCheck.Name KEY_FOUND = new KmsCheck.Name("key_found", "Key found");
    public static final KmsCheck.Name KEY_ENABLED = new KmsCheck.Name("key_enabled", "Key enabled");
    public static final KmsCheck.Name KEY_TYPE = new KmsCheck.Name("key_type", "Symmetric encrypt/decrypt key");
    public static final KmsCheck.Name SAME_ACCOUNT = new KmsCheck.Name("same_account", "Same account");
    public static final KmsCheck.Name ROUND_TRIP = new KmsCheck.Name("round_trip", "Encrypt + Decrypt round trip");
    /** The checks, in the order they run and are shown. */
    public static final List<KmsCheck.Name> CHECKS = List.of(CREDENTIALS, REGION, CALLER_IDENTITY, KEY_FOUND,
            KEY_ENABLED, KEY_TYPE, SAME_ACCOUNT, ROUND_TRIP);

    /** The size of a data key's key material, so the round trip looks like what the migration does. */
    private static final int ROUND_TRIP_BYTES = 96;
    private static final Set<String> UNKNOWN_ACCESS_KEY = Set.of("InvalidClientTokenId", "UnrecognizedClientException");
    private static final Set<String> BAD_SIGNATURE = Set.of("SignatureDoesNotMatch", "InvalidSignatureException",
            "IncompleteSignature", "IncompleteSignatureException");
    private static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException", "RequestExpired");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException");
    private static final Pattern ERROR_CODE_IN_BODY =
            Pattern.compile("<Code>([A-Za-z.]+)</Code>|\"__type\"\\s*:\\s*\"(?:[^\"#]*#)?([A-Za-z]+)\"");

    private final SecureRandom random = new SecureRandom();

    public KmsCheckReport run(AwsTarget target) {
        return new Run(target).execute();
    }

    /**
     * A sentence when the CMK's ARN names another account than the caller's, for a plan to carry; empty
     * when it is the same account, when the ARN names none (alias/NAME), or when STS does not answer (the
     * checks then say why). Calls STS GetCallerIdentity only.
     */
    public Optional<String> crossAccount(AwsTarget target) {
        Optional<String> keyAccount = target.cmk().account();
        if (keyAccount.isEmpty()) {
            return Optional.empty();
        }
        try (StsClient sts = AwsClients.sts(target)) {
            String callerAccount = sts.getCallerIdentity().account();
            return callerAccount.equals(keyAccount.get()) ? Optional.empty()
                    : Optional.of(crossAccountSentence(keyAccount.get(), callerAccount));
        } catch (SdkException e) {
            LOG.info("sts:GetCallerIdentity failed while planning; the checks report it", e);
            return Optional.empty();
        }
    }

    private static String crossAccountSentence(String keyAccount, String callerAccount) {
        return "Cross-account CMK: the key is in account " + keyAccount + ", the credentials are from account "
                + callerAccount + ". That is allowed, but the key policy must grant " + callerAccount
                + " kms:Encrypt and kms:Decrypt (and its IAM policies must allow them too).";
    }

    /** Why a call failed, sorted by what it means for the checks that follow. */
    private enum Cause {
        CREDENTIALS_REJECTED, UNREACHABLE, UNTRUSTED_TLS, ACCESS_DENIED, OTHER;

        boolean stopsEverything() {
            return this == CREDENTIALS_REJECTED || this == UNREACHABLE || this == UNTRUSTED_TLS;
        }
    }

    private record Failure(Cause cause, String sentence) {
    }

    /** The state of one run of the checks. */
    private final class Run {

        private final AwsTarget target;
        private final List<KmsCheck> checks = new ArrayList<>();
        private String credentialSource;
        private String accessKey = "";
        private String callerArn;
        private String callerAccount;
        private KeyMetadata key;
        private boolean reachable = true;

        Run(AwsTarget target) {
            this.target = target;
            this.credentialSource = target.credentialSource().describe();
        }

        KmsCheckReport execute() {
            if (checkCredentials()) {
                boolean regionMatches = checkRegion();
                try (StsClient sts = AwsClients.sts(target); KmsClient kms = AwsClients.kms(target)) {
                    checkRemaining(sts, kms, regionMatches);
                }
            }
            checks.sort(Comparator.comparing(check -> CHECKS.indexOf(check.name())));
            Map<String, String> details = new LinkedHashMap<>();
            details.put("cmk", target.cmk().text());
            details.put("region", target.region());
            details.put("endpoint", target.endpoint().orElse(null));
            details.put("credentialSource", credentialSource);
            details.put("callerArn", callerArn);
            details.put("keyArn", key == null ? null : key.arn());
            return new KmsCheckReport(target.provider().name(), target.kmsTarget().describe(), reachable, checks,
                    details);
        }

        private void checkRemaining(StsClient sts, KmsClient kms, boolean regionMatches) {
            Failure stop = checkCallerIdentity(sts);
            if (stop != null) {
                skipRemaining(stop.cause() == Cause.CREDENTIALS_REJECTED ? "AWS rejected the credentials."
                        : "the endpoint could not be used.");
            } else if (!regionMatches) {
                skipRemaining("the region does not match the key's ARN.");
            } else if (!checkKeyFound(kms)) {
                skipRemaining("the key could not be looked up.");
            } else {
                boolean enabled = key == null ? skipKeyDetails() : checkKeyEnabledAndType();
                checkSameAccount();
                if (enabled) {
                    checkRoundTrip(kms);
                } else {
                    skipRemaining("the key is not enabled.");
                }
            }
        }

        private boolean checkCredentials() {
            AwsCredentials credentials;
            try {
                credentials = target.credentialsProvider().resolveCredentials();
            } catch (RuntimeException e) {
                LOG.warn("AWS credentials from {} did not resolve", credentialSource, e);
                add(CREDENTIALS, Status.FAIL, noCredentialsSentence(e));
                skipRemaining("no credentials were found.");
                return false;
            }
            credentialSource = target.credentialSource().describe(credentials);
            accessKey = AwsCredentialSource.masked(credentials.accessKeyId());
            add(CREDENTIALS, Status.OK, "Found in " + credentialSource + ": access key " + accessKey + ".");
            return true;
        }

        private String noCredentialsSentence(RuntimeException e) {
            AwsCredentialSource source = target.credentialSource();
            // The SDK signs in to SSO and similar services only with extra modules this build leaves out.
            if (source instanceof AwsCredentialSource.NamedProfile profile
                    && String.valueOf(e.getMessage()).contains("service module must be on the class path")) {
                return "Profile \"" + profile.name() + "\" signs in through a service KeyShift does not include"
                        + " (such as AWS SSO): run aws configure export-credentials --profile " + profile.name()
                        + " --format env, then run KeyShift without a profile.";
            }
            if (source instanceof AwsCredentialSource.NamedProfile profile) {
                return "Profile \"" + profile.name() + "\" has no usable credentials in ~/.aws/credentials or"
                        + " ~/.aws/config: check its name, or run aws configure --profile " + profile.name() + ".";
            }
            if (source instanceof AwsCredentialSource.DefaultChain) {
                return "No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                        + " or name a profile from ~/.aws/credentials.";
            }
            return "The entered AWS keys are no longer available: enter the access key and secret again.";
        }

        private boolean checkRegion() {
            String region = target.region();
            CmkArn cmk = target.cmk();
            String arnRegion = cmk.region().orElse(null);
            if (arnRegion == null) {
                add(REGION, Status.OK, cmk.text() + " is looked up in " + region + ".");
                return true;
            }
            if (arnRegion.equals(region)) {
                add(REGION, Status.OK, "The key's ARN is in " + region + ", the configured region.");
                return true;
            }
            add(REGION, Status.FAIL, "The key's ARN is in " + arnRegion + " but the region is " + region
                    + " (AWS would answer \"Credential should be scoped to a valid region\"): set the region to "
                    + arnRegion + ", or choose a key in " + region + ".");
            return false;
        }

        /** Returns the failure that makes every further call pointless, or null to go on. */
        private Failure checkCallerIdentity(StsClient sts) {
            try {
                GetCallerIdentityResponse identity = sts.getCallerIdentity();
                callerArn = identity.arn();
                callerAccount = identity.account();
                add(CALLER_IDENTITY, Status.OK, "Signed in as " + callerArn + " (account " + callerAccount + ").");
                return null;
            } catch (SdkException e) {
                LOG.warn("sts:GetCallerIdentity failed", e);
                Failure failure = explain(e, "sts:GetCallerIdentity", "STS");
                if (failure.cause().stopsEverything()) {
                    add(CALLER_IDENTITY, Status.FAIL, failure.sentence());
                    return failure;
                }
                add(CALLER_IDENTITY, Status.WARN, "Could not read the caller identity at "
                        + target.endpoint().orElse("AWS STS") + " (details in the log); the checks below still show"
                        + " whether the key can be used.");
                return null;
            }
        }

        private boolean checkKeyFound(KmsClient kms) {
            CmkArn cmk = target.cmk();
            try {
                key = kms.describeKey(request -> request.keyId(cmk.text())).keyMetadata();
            } catch (NotFoundException e) {
                LOG.warn("kms:DescribeKey found no {}", cmk, e);
                add(KEY_FOUND, Status.FAIL, cmk.kind() == CmkArn.Kind.ALIAS
                        ? "There is no alias " + cmk.text() + " in " + target.region() + ": check the alias name"
                          + " (aws kms list-aliases --region " + target.region() + ")."
                        : "There is no key " + cmk.text() + " in " + target.region() + ": check the key id and"
                          + " the account, and that the key was not deleted.");
                return false;
            } catch (SdkException e) {
                LOG.warn("kms:DescribeKey failed", e);
                Failure failure = explain(e, "kms:DescribeKey", "KMS");
                if (failure.cause() == Cause.ACCESS_DENIED) {
                    add(KEY_FOUND, Status.WARN, caller() + " may not call kms:DescribeKey, so the key's state and"
                            + " type are unknown; the round trip below shows whether it can be used.");
                    return true;
                }
                add(KEY_FOUND, Status.FAIL, failure.sentence());
                return false;
            }
            add(KEY_FOUND, Status.OK, cmk.kind() == CmkArn.Kind.ALIAS
                    ? cmk.text() + " names key " + key.arn() + "."
                    : "KMS knows the key " + key.arn() + ".");
            return true;
        }

        /** Without kms:DescribeKey the round trip is the only proof; returns true to let it run. */
        private boolean skipKeyDetails() {
            add(KEY_ENABLED, Status.SKIPPED, "Not run: the key could not be described.");
            add(KEY_TYPE, Status.SKIPPED, "Not run: the key could not be described.");
            return true;
        }

        /** Returns whether the key is enabled; a key of the wrong type fails its own check but may still be enabled. */
        private boolean checkKeyEnabledAndType() {
            // AWS always reports KeyState; an endpoint that reports only Enabled is read through it.
            KeyState state = key.keyState() != null ? key.keyState()
                    : Boolean.TRUE.equals(key.enabled()) ? KeyState.ENABLED : KeyState.DISABLED;
            boolean enabled = state == KeyState.ENABLED;
            add(KEY_ENABLED, enabled ? Status.OK : Status.FAIL,
                    enabled ? "The key is enabled." : notEnabledSentence(state));
            // A SYMMETRIC_DEFAULT key can only be for ENCRYPT_DECRYPT, so a missing KeyUsage (emulators omit it) is fine.
            boolean usable = key.keySpec() == KeySpec.SYMMETRIC_DEFAULT
                    && (key.keyUsage() == null || key.keyUsage() == KeyUsageType.ENCRYPT_DECRYPT);
            add(KEY_TYPE, usable ? Status.OK : Status.FAIL, usable
                    ? "The key is symmetric (SYMMETRIC_DEFAULT) for ENCRYPT_DECRYPT, as CSFLE needs."
                    : "The key is " + key.keySpecAsString()
                      + (key.keyUsage() == null ? "" : " for " + key.keyUsageAsString()) + ", but CSFLE needs a"
                      + " symmetric SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT: choose or create such a key.");
            return enabled;
        }

        private String notEnabledSentence(KeyState state) {
            String keyId = key.keyId();
            return switch (state) {
                case DISABLED -> "The key is disabled: enable it (aws kms enable-key --key-id " + keyId
                        + ") or choose another key.";
                case PENDING_DELETION, PENDING_REPLICA_DELETION -> "The key is scheduled for deletion on "
                        + (key.deletionDate() == null ? "an unknown date"
                           : DateTimeFormatter.ISO_LOCAL_DATE.format(key.deletionDate().atOffset(ZoneOffset.UTC)))
                        + ": cancel the deletion (aws kms cancel-key-deletion --key-id " + keyId
                        + ") and enable it, or choose another key.";
                case PENDING_IMPORT -> "The key has no key material yet (PendingImport): import its key material"
                        + " or choose another key.";
                default -> "The key is " + key.keyStateAsString() + ", not Enabled: wait until it is enabled or"
                        + " choose another key.";
            };
        }

        private void checkSameAccount() {
            // The ARN's account is the key's (and what every migrated key will store); an endpoint may find a
            // key by its id alone and answer with the caller's account, so its answer proves nothing here.
            String keyAccount = target.cmk().account().orElse(key != null ? key.awsAccountId() : callerAccount);
            if (callerAccount == null || keyAccount == null) {
                add(SAME_ACCOUNT, Status.SKIPPED, "Not run: the caller's account is unknown.");
            } else if (callerAccount.equals(keyAccount)) {
                add(SAME_ACCOUNT, Status.OK, "The key is in the caller's account " + callerAccount + ".");
            } else {
                add(SAME_ACCOUNT, Status.WARN, crossAccountSentence(keyAccount, callerAccount));
            }
        }

        private void checkRoundTrip(KmsClient kms) {
            byte[] value = new byte[ROUND_TRIP_BYTES];
            random.nextBytes(value);
            String keyId = key != null ? key.arn() : target.cmk().text();
            String operation = "kms:Encrypt";
            try {
                EncryptResponse encrypted = kms.encrypt(request -> request.keyId(keyId)
                        .plaintext(SdkBytes.fromByteArray(value)));
                operation = "kms:Decrypt";
                DecryptResponse decrypted = kms.decrypt(request -> request.keyId(keyId)
                        .ciphertextBlob(encrypted.ciphertextBlob()));
                if (Arrays.equals(decrypted.plaintext().asByteArray(), value)) {
                    add(ROUND_TRIP, Status.OK, "Encrypted and decrypted a random 96-byte value with the key.");
                } else {
                    add(ROUND_TRIP, Status.FAIL, "KMS decrypted the test value to different bytes: the endpoint"
                            + " is not behaving like AWS KMS; check the endpoint.");
                }
            } catch (SdkException e) {
                LOG.warn("{} failed during the round trip", operation, e);
                add(ROUND_TRIP, Status.FAIL, explain(e, operation, "KMS").sentence());
            }
        }

        private String caller() {
            return callerArn == null ? "The caller" : callerArn;
        }

        private void skipRemaining(String reason) {
            Set<KmsCheck.Name> done = new HashSet<>();
            checks.forEach(check -> done.add(check.name()));
            CHECKS.stream().filter(name -> !done.contains(name))
                    .forEach(name -> add(name, Status.SKIPPED, "Not run: " + reason));
        }

        private void add(KmsCheck.Name name, Status status, String message) {
            checks.add(new KmsCheck(name, status, message));
        }

        /** One sentence for a failed call: what failed and what to do. */
        private Failure explain(SdkException e, String operation, String service) {
            String where = target.endpoint().orElse("AWS " + service + " in " + target.region());
            if (e instanceof AwsServiceException serviceError) {
                String code = errorCode(serviceError);
                if (UNKNOWN_ACCESS_KEY.contains(code)) {
                    return new Failure(Cause.CREDENTIALS_REJECTED, "AWS does not know access key " + accessKey
                            + " (" + code + "): check the access key id and that it is still active in IAM.");
                }
                if (BAD_SIGNATURE.contains(code)) {
                    return new Failure(Cause.CREDENTIALS_REJECTED, "AWS rejected the signature made with access key "
                            + accessKey + " (" + code + "): the secret access key is wrong, enter it again.");
                }
                if (EXPIRED.contains(code)) {
                    return new Failure(Cause.CREDENTIALS_REJECTED, "The credentials have expired (" + code
                            + "): get fresh ones (a new session token, or aws sso login) and check again.");
                }
                if (DENIED.contains(code)) {
                    return new Failure(Cause.ACCESS_DENIED, caller() + " is not allowed " + operation + " on the key: add "
                            + operation + " for this key to the IAM policy or the key policy.");
                }
                return new Failure(Cause.OTHER, service + " refused " + operation + " (" + code + ", HTTP "
                        + serviceError.statusCode() + "): check the key and the permissions; details are in the log.");
            }
            if (hasCause(e, CertificateExpiredException.class)) {
                return new Failure(Cause.UNTRUSTED_TLS, "The TLS certificate of " + where + " has expired: renew it"
                        + " on the endpoint, or check that the endpoint is the right one.");
            }
            if (hasCause(e, SSLPeerUnverifiedException.class)) {
                return new Failure(Cause.UNTRUSTED_TLS, "The TLS certificate of " + where + " was issued for another"
                        + " host name: use the host name in the endpoint's certificate.");
            }
            if (hasCause(e, SSLException.class)) {
                return new Failure(Cause.UNTRUSTED_TLS, "The TLS certificate of " + where + " is not trusted: give"
                        + " the PEM file of the CA that signed it as the CA file, or check the endpoint.");
            }
            reachable = false;
            if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                    || hasCause(e, InterruptedIOException.class)) {
                return new Failure(Cause.UNREACHABLE, where + " did not answer " + operation + " within "
                        + AwsClients.CALL_TIMEOUT.toSeconds() + " seconds: check the endpoint, the network, and"
                        + " any proxy or firewall in between.");
            }
            if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
                    || hasCause(e, NoRouteToHostException.class)) {
                return new Failure(Cause.UNREACHABLE, "Could not connect to " + where + ": check the endpoint"
                        + " and the network.");
            }
            return new Failure(Cause.UNREACHABLE, operation + " to " + where + " failed (" + e.getMessage()
                    + "): check the endpoint and the network.");
        }
    }

    /**
     * The AWS error code. Endpoints that are not AWS itself (emulators, some proxies) answer some
     * errors in a format the SDK does not parse for the service; the code is then read from the body.
     */
    private static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details == null) {
            return "unknown error";
        }
        if (details.errorCode() != null) {
            return details.errorCode();
        }
        String body = details.rawResponse() == null ? "" : details.rawResponse().asUtf8String();
        return errorCodeIn(body).orElse("unknown error");
    }

    /** The AWS error code in an error response's body, XML or JSON (what the driver quotes of a KMS error). */
    static Optional<String> errorCodeIn(String body) {
        Matcher code = ERROR_CODE_IN_BODY.matcher(body);
        return code.find() ? Optional.of(Optional.ofNullable(code.group(1)).orElse(code.group(2))) : Optional.empty();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
