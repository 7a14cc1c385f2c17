package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.bson.BsonDocument;
import org.bson.BsonString;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code azure} provider: a service principal's client credentials (tenant, client id, client secret)
 * or an access token, an optional identity platform endpoint, and an optional CA for private or emulated
 * endpoints. The key is not part of it: that is the {@link KmsTarget}'s masterKey
 * {@code {keyVaultEndpoint, keyName, keyVersion?}}.
 */
public final class AzureProvider implements KmsProvider {

    public static final String TENANT_ID_VARIABLE = "AZURE_TENANT_ID";
    public static final String CLIENT_ID_VARIABLE = "AZURE_CLIENT_ID";
    public static final String CLIENT_SECRET_VARIABLE = "AZURE_CLIENT_SECRET";
    static final String DEFAULT_IDENTITY_PLATFORM = "login.microsoftonline.com";
    public static final String ACCESS_TOKEN = "Azure access token";

    /** Characters that go into a URL path or form unencoded: libmongocrypt encodes none of these values. */
    private static final Pattern UNRESERVED = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9-]{1,127}");
    private static final Pattern KEY_VERSION = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final String ENDPOINT_SHAPE = "host[:port], such as login.microsoftonline.com";
    private static final String VAULT_SHAPE = "host[:port], such as my-vault.vault.azure.net";

    private final String name;
    private final String tenantId;
    private final String clientId;
    private final char[] secret;
    private final boolean accessToken;
    private final String identityPlatformEndpoint;
    private final TrustManager[] trustManagers;

    private AzureProvider(String name, String tenantId, String clientId, char[] secret, boolean accessToken,
                          String identityPlatformEndpoint, TrustManager[] trustManagers) {
        this.name = ProviderType.AZURE.requireProviderName(name);
        this.tenantId = tenantId;
        this.clientId = clientId;
        this.secret = secret;
        this.accessToken = accessToken;
        this.identityPlatformEndpoint = identityPlatformEndpoint;
        this.trustManagers = trustManagers;
    }

    /**
     * A service principal's client credentials, validated offline; a mistake is refused with a sentence
     * saying what to fix.
     *
     * @param identityPlatformEndpoint {@code host[:port]}, or null/blank for login.microsoftonline.com
     * @param caFile                   PEM file of the CA to trust for the endpoints, or null for the JVM's trust
     */
    public static AzureProvider of(String tenantId, String clientId, String clientSecret,
                                   String identityPlatformEndpoint, Path caFile) {
        String tenant = require(tenantId, "tenant id", TENANT_ID_VARIABLE);
        String client = require(clientId, "client id", CLIENT_ID_VARIABLE);
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new KeyShiftException("No Azure client secret: set " + CLIENT_SECRET_VARIABLE
                    + " to the Value of a secret of the application (Certificates & secrets in the portal).");
        }
        if (!UNRESERVED.matcher(clientSecret).matches()) {
            throw new KeyShiftException("The Azure client secret holds a character other than letters, digits and . _ ~ -,"
                    + " which the MongoDB drivers send to the identity platform unencoded, so it would be refused:"
                    + " create a new client secret for the application (portal secrets use only those characters).");
        }
        return new AzureProvider(ProviderType.AZURE.wireName(), tenant, client, clientSecret.toCharArray(), false,
                KmsEndpoint.normalize(identityPlatformEndpoint, "identity platform endpoint", ENDPOINT_SHAPE),
                trust(caFile));
    }

    /** Client credentials from {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID} and {@code AZURE_CLIENT_SECRET}. */
    public static AzureProvider fromEnvironment(Map<String, String> environment, String identityPlatformEndpoint,
                                                Path caFile) {
        return of(environment.get(TENANT_ID_VARIABLE), environment.get(CLIENT_ID_VARIABLE),
                environment.get(CLIENT_SECRET_VARIABLE), identityPlatformEndpoint, caFile);
    }

    /**
     * How a DBA signs in, the same from every front end: with the access token when one is given (not blank),
     * else with the service principal.
     */
    public static AzureProvider tokenOrPrincipal(String accessToken, String tenantId, String clientId,
                                                 String clientSecret, String identityPlatformEndpoint, Path caFile) {
        return accessToken == null || accessToken.isBlank()
                ? of(tenantId, clientId, clientSecret, identityPlatformEndpoint, caFile)
                : withAccessToken(accessToken, caFile);
    }

    /** An access token for the vault, obtained elsewhere (it expires: KeyShift cannot renew it). */
    public static AzureProvider withAccessToken(String accessToken, Path caFile) {
        char[] token = AccessTokens.check(accessToken, ACCESS_TOKEN, "a token for https://vault.azure.net, such as the"
                + " one `az account get-access-token --resource https://vault.azure.net --query accessToken -o tsv`"
                + " prints");
        return new AzureProvider(ProviderType.AZURE.wireName(), null, null, token, true, null, trust(caFile));
    }

    /**
     * The key new and rewrapped data keys go to, validated offline.
     *
     * @param keyVaultEndpoint the vault's {@code host[:port]} ({@code https://…/} URLs are trimmed)
     * @param keyVersion       a version to pin, or null/blank for the key's current version
     */
    public KmsTarget target(String keyVaultEndpoint, String keyName, String keyVersion) {
        String vault = KmsEndpoint.normalize(keyVaultEndpoint, "key vault endpoint", VAULT_SHAPE);
        if (vault == null) {
            throw new KeyShiftException("No key vault endpoint: give the vault's host, such as my-vault.vault.azure.net"
                    + " (the Vault URI on the vault's Overview page, without https://).");
        }
        if (keyName == null || !KEY_NAME.matcher(keyName.strip()).matches()) {
            throw new KeyShiftException("\"" + (keyName == null ? "" : keyName.strip()) + "\" is not an Azure key name:"
                    + " give the key's name as the vault lists it (letters, digits and dashes, at most 127).");
        }
        BsonDocument masterKey = new BsonDocument("keyVaultEndpoint", new BsonString(vault))
                .append("keyName", new BsonString(keyName.strip()));
        if (keyVersion != null && !keyVersion.isBlank()) {
            if (!KEY_VERSION.matcher(keyVersion.strip()).matches()) {
                throw new KeyShiftException("\"" + keyVersion.strip() + "\" is not an Azure key version: give the"
                        + " version's identifier (32 letters and digits, the last part of the key identifier), or none"
                        + " to use the key's current version.");
            }
            masterKey.append("keyVersion", new BsonString(keyVersion.strip()));
        }
        return new KmsTarget(this, masterKey);
    }

    private static String require(String value, String what, String variable) {
        if (value == null || value.isBlank()) {
            throw new KeyShiftException("No Azure " + what + ": set " + variable + " (see the application's Overview"
                    + " page in the portal), or give an access token instead.");
        }
        String text = value.strip();
        if (!UNRESERVED.matcher(text).matches()) {
            throw new KeyShiftException("\"" + text + "\" is not an Azure " + what + ": it is a GUID such as"
                    + " 00000000-0000-0000-0000-000000000000 (or, for a tenant, a domain such as contoso.onmicrosoft.com).");
        }
        return text;
    }

    private static TrustManager[] trust(Path caFile) {
        return caFile == null ? null : PemTrust.trustManagers(caFile);
    }

    public boolean usesAccessToken() {
        return accessToken;
    }

    /** The tenant; empty with an access token. */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** The client id; empty with an access token. */
    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    /** The identity platform's {@code host[:port]}: the custom one, or login.microsoftonline.com. */
    public String identityPlatformEndpoint() {
        return identityPlatformEndpoint == null ? DEFAULT_IDENTITY_PLATFORM : identityPlatformEndpoint;
    }

    /** The client secret or the access token, for the checks' own requests (a copy the caller wipes). */
    char[] secret() {
        return secret.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderType type() {
        return ProviderType.AZURE;
    }

    @Override
    public Map<String, Object> kmsProviderEntry() {
        Map<String, Object> entry = new HashMap<>();
        if (accessToken) {
            entry.put("accessToken", new String(secret));
            return entry;
        }
        entry.put("tenantId", tenantId);
        entry.put("clientId", clientId);
        entry.put("clientSecret", new String(secret));
        if (identityPlatformEndpoint != null) {
            entry.put("identityPlatformEndpoint", identityPlatformEndpoint);
        }
        return entry;
    }

    /** Empty: the entry holds the credentials, as named providers ({@code azure:next}) require. */
    @Override
    public Optional<Supplier<Map<String, Object>>> credentials() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(trustManagers).map(PemTrust::sslContext);
    }

    @Override
    public AzureProvider named(String otherName) {
        return new AzureProvider(otherName, tenantId, clientId, secret.clone(), accessToken, identityPlatformEndpoint,
                trustManagers);
    }

    @Override
    public String describe() {
        return name + (accessToken ? " (access token)" : " (client " + clientId + " in tenant " + tenantId
                + (identityPlatformEndpoint == null ? "" : ", identity platform " + identityPlatformEndpoint) + ")");
    }

    @Override
    public void close() {
        Arrays.fill(secret, '\0');
    }

    @Override
    public String toString() {
        return "AzureProvider[" + describe() + "]";
    }
}
