package io.keyshift.testing;

import io.keyshift.core.kms.PemTrust;
import io.keyshift.sandbox.SandboxInfo;
import org.bson.Document;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Access tokens from the sandbox's identity platform, as a DBA gets one from {@code az account get-access-token}. */
public final class AzureTokens {

    private AzureTokens() {
    }

    /** A token the sandbox's Key Vault accepts for its migrator principal. */
    public static String accessToken(SandboxInfo.Azure azure) {
        String form = "grant_type=client_credentials&client_id=" + azure.clientId() + "&client_secret="
                + azure.clientSecret() + "&scope=https%3A%2F%2Fvault.azure.net%2F.default";
        HttpClient http = HttpClient.newBuilder().sslContext(PemTrust.sslContext(azure.caFile())).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + azure.identityPlatformEndpoint() + "/"
                        + azure.tenantId() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("The sandbox's identity platform answered " + response.statusCode()
                        + ": " + response.body());
            }
            return Document.parse(response.body()).getString("access_token");
        } catch (IOException e) {
            throw new IllegalStateException("Could not reach the sandbox's identity platform", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
