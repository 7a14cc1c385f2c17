package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import io.keyshift.core.secret.SecretRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;

import javax.security.auth.Destroyable;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Where the AWS credentials come from: keys the user entered, a named profile, or the default chain. */
public sealed interface AwsCredentialSource
        permits AwsCredentialSource.EnteredKeys, AwsCredentialSource.NamedProfile, AwsCredentialSource.DefaultChain {

    /** A phrase naming the source for the report, e.g. {@code profile "prod"}; never a secret. */
    String describe();

    /** An SDK provider that resolves the credentials each time they are needed. */
    AwsCredentialsProvider provider();

    /** Like {@link #describe()}, refined by what resolving the credentials revealed. */
    default String describe(AwsCredentials resolved) {
        return describe();
    }

    static EnteredKeys entered(String accessKeyId, char[] secretAccessKey, char[] sessionToken) {
        return new EnteredKeys(accessKeyId, secretAccessKey, sessionToken);
    }

    static NamedProfile profile(String name) {
        return new NamedProfile(name);
    }

    static DefaultChain defaultChain() {
        return new DefaultChain();
    }

    /**
     * Keys typed into the wizard. The secret and session token are copied into arrays this object owns
     * and wipes on {@link #destroy()}; the SDK and the driver get a short-lived String only when they sign.
     * The caller wipes the arrays it passed in, and destroys this object when the wizard closes.
     */
    final class EnteredKeys implements AwsCredentialSource, Destroyable {

        private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

        private final String accessKeyId;
        private final char[] secretAccessKey;
        private final char[] sessionToken;
        /** While the keys are alive, the log layer masks them wherever they would appear. */
        private final List<SecretRegistry.Registration> secretRegistrations;
        private boolean destroyed;

        private EnteredKeys(String accessKeyId, char[] secretAccessKey, char[] sessionToken) {
            String id = accessKeyId == null ? "" : accessKeyId.strip();
            // The id is not echoed: a secret pasted into the wrong field must not reach the log.
            if (!ACCESS_KEY_ID.matcher(id).matches()) {
                throw new KeyShiftException("The access key id is not an AWS access key id (upper-case letters"
                        + " and digits, such as AKIA followed by 16 more): copy it again from the IAM console.");
            }
            if (secretAccessKey == null || secretAccessKey.length == 0) {
                throw new KeyShiftException("The secret access key is empty: enter the secret that belongs to"
                        + " access key " + masked(id) + ".");
            }
            this.accessKeyId = id;
            this.secretAccessKey = secretAccessKey.clone();
            this.sessionToken = sessionToken == null ? new char[0] : sessionToken.clone();
            this.secretRegistrations = List.of(SecretRegistry.register(this.secretAccessKey),
                    SecretRegistry.register(this.sessionToken));
        }

        @Override
        public String describe() {
            return "the keys entered on the AWS page";
        }

        @Override
        public AwsCredentialsProvider provider() {
            return this::resolve;
        }

        private synchronized AwsCredentials resolve() {
            if (destroyed) {
                throw new IllegalStateException("The entered AWS keys were wiped");
            }
            if (sessionToken.length > 0) {
                return AwsSessionCredentials.builder().accessKeyId(accessKeyId)
                        .secretAccessKey(new String(secretAccessKey)).sessionToken(new String(sessionToken))
                        .providerName(describe()).build();
            }
            return AwsBasicCredentials.builder().accessKeyId(accessKeyId)
                    .secretAccessKey(new String(secretAccessKey)).providerName(describe()).build();
        }

        @Override
        public synchronized void destroy() {
            Arrays.fill(secretAccessKey, '\0');
            Arrays.fill(sessionToken, '\0');
            secretRegistrations.forEach(SecretRegistry.Registration::close);
            destroyed = true;
        }

        @Override
        public synchronized boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "EnteredKeys[" + masked(accessKeyId) + ", secret ****]";
        }
    }

    /** A profile from the standard AWS config and credentials files ({@code ~/.aws/…}). */
    record NamedProfile(String name) implements AwsCredentialSource {

        public NamedProfile {
            if (name == null || name.isBlank()) {
                throw new KeyShiftException("The AWS profile name is empty: give a profile from ~/.aws/credentials"
                        + " or ~/.aws/config, or leave the profile out to use the default credential chain.");
            }
            name = name.strip();
        }

        @Override
        public String describe() {
            return "profile \"" + name + "\"";
        }

        @Override
        public AwsCredentialsProvider provider() {
            return ProfileCredentialsProvider.builder().profileName(name).build();
        }
    }

    /** The SDK's default chain: system properties, environment variables, profile, container, instance. */
    record DefaultChain() implements AwsCredentialSource {

        @Override
        public String describe() {
            return "the default credential chain";
        }

        @Override
        public AwsCredentialsProvider provider() {
            return DefaultCredentialsProvider.builder().build();
        }

        /**
         * Names the link of the chain that answered when it is one a user sets by hand. The SDK's own
         * provider name is an internal metrics code, so the two simple links are asked again and matched
         * by access key id.
         */
        @Override
        public String describe(AwsCredentials resolved) {
            if (answers(SystemPropertyCredentialsProvider.create(), resolved)) {
                return describe() + " (Java system properties aws.accessKeyId and aws.secretAccessKey)";
            }
            if (answers(EnvironmentVariableCredentialsProvider.create(), resolved)) {
                return describe() + " (environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)";
            }
            return describe() + " (a profile, SSO, or container or instance credentials)";
        }

        private static boolean answers(AwsCredentialsProvider link, AwsCredentials resolved) {
            try {
                return link.resolveCredentials().accessKeyId().equals(resolved.accessKeyId());
            } catch (RuntimeException notSet) {
                return false;
            }
        }
    }

    /** Shows an access key id as its first four and last four characters, enough to recognise it. */
    static String masked(String accessKeyId) {
        return accessKeyId.length() <= 8 ? "****"
                : accessKeyId.substring(0, 4) + "…" + accessKeyId.substring(accessKeyId.length() - 4);
    }
}
