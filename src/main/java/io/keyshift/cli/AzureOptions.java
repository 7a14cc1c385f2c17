package io.keyshift.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Azure Key Vault, on whichever side it is. The service principal comes from AZURE_TENANT_ID, AZURE_CLIENT_ID and
 * AZURE_CLIENT_SECRET, or an access token from a file: no option carries a secret.
 */
final class AzureOptions {

    static final String KEY_VAULT_ENDPOINT = "--azure-key-vault-endpoint";
    static final String KEY_NAME = "--azure-key-name";

    @Option(names = KEY_VAULT_ENDPOINT, paramLabel = "HOST", description = "Target: the vault, e.g. my-vault.vault.azure.net.")
    String keyVaultEndpoint;

    @Option(names = KEY_NAME, paramLabel = "NAME", description = "Target: the key in the vault to wrap the data keys with.")
    String keyName;

    @Option(names = "--azure-key-version", paramLabel = "V", description = "Target: a key version to pin (default: the"
            + " key's current version).")
    String keyVersion;

    @Option(names = "--azure-identity-endpoint", paramLabel = "HOST",
            description = "The identity platform to sign in at (default: login.microsoftonline.com).")
    String identityEndpoint;

    @Option(names = "--azure-access-token-file", paramLabel = "FILE",
            description = "A file holding an access token for https://vault.azure.net, used instead of a service"
                    + " principal (`az account get-access-token --resource https://vault.azure.net --query accessToken"
                    + " -o tsv > FILE`). It expires, in about an hour: KeyShift cannot renew it.")
    Path accessTokenFile;

    @Option(names = "--azure-ca-file", paramLabel = "PEM",
            description = "PEM file of the CA that signed the vault's and identity platform's certificates (default: the"
                    + " JVM's trust).")
    Path caFile;
}
