"""Reads every encrypted value of a KeyShift sandbox back with a pymongo client that knows ONE provider.

What a DBA's application would do after a migration: configured with only the target provider, it
must decrypt every value. --write-snapshot records the plaintext (before a migration, with the
source provider); --snapshot compares with it (after, with the target provider).

  read_back.py SANDBOX_JSON --provider local|aws|kmip|azure|gcp [--local-key FILE]
               [--write-snapshot FILE | --snapshot FILE]
"""
import argparse
import hashlib
import json
import sys

from bson import encode
from bson.binary import Binary
from pymongo.encryption import ClientEncryption

from sandbox_client import CODEC, SandboxClient

ENCRYPTED = 6


def only_provider(info, provider, local_key_file):
    """The kmsProviders and kms_tls_options of a client that knows only this provider."""
    if provider == "local":
        with open(local_key_file or info["localKeyFile"], "rb") as f:
            return {"local": {"key": f.read()}}, {}
    if provider == "aws":
        aws = info["aws"]
        return ({"aws": {"accessKeyId": aws["migrator"]["accessKeyId"],
                         "secretAccessKey": aws["migrator"]["secretAccessKey"]}},
                {"aws": {"tlsCAFile": aws["caFile"]}})
    if provider == "kmip":
        kmip = info["kmip"]
        return ({"kmip": {"endpoint": kmip["endpoint"]}},
                {"kmip": {"tlsCAFile": kmip["caFile"], "tlsCertificateKeyFile": kmip["clientCertFile"]}})
    if provider == "azure":
        azure = info["azure"]
        return ({"azure": {"tenantId": azure["tenantId"], "clientId": azure["clientId"],
                           "clientSecret": azure["clientSecret"],
                           "identityPlatformEndpoint": azure["identityPlatformEndpoint"]}},
                {"azure": {"tlsCAFile": azure["caFile"]}})
    if provider == "gcp":
        gcp = info["gcp"]
        with open(gcp["credentialsFile"]) as f:
            account = json.load(f)
        der = "".join(line for line in account["private_key"].splitlines() if "-----" not in line)
        return ({"gcp": {"email": account["client_email"], "privateKey": der, "endpoint": gcp["endpoint"]}},
                {"gcp": {"tlsCAFile": gcp["caFile"]}})
    raise SystemExit(f"unknown provider {provider}")


def encrypted_values(value, path):
    if isinstance(value, Binary) and value.subtype == ENCRYPTED:
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from encrypted_values(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from encrypted_values(inner, f"{path}.{index}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sandbox_json")
    parser.add_argument("--provider", required=True)
    parser.add_argument("--local-key")
    parser.add_argument("--snapshot")
    parser.add_argument("--write-snapshot")
    args = parser.parse_args()

    sandbox = SandboxClient(args.sandbox_json)
    kms_providers, tls = only_provider(sandbox.info, args.provider, args.local_key)
    encryption = ClientEncryption(kms_providers, sandbox.info["keyVaultNamespace"], sandbox.client, CODEC,
                                  kms_tls_options=tls)
    providers = {}
    for key in sandbox.key_vault.find({}, {"masterKey.provider": 1}):
        name = key["masterKey"]["provider"]
        providers[name] = providers.get(name, 0) + 1
    print(f"key vault: {providers}")

    plaintext, failures = {}, 0
    for namespace in sandbox.namespaces():
        db, coll = namespace.split(".", 1)
        count = 0
        for document in sandbox.client[db].get_collection(coll, codec_options=CODEC).find():
            for path, ciphertext in encrypted_values(document, ""):
                try:
                    value = encryption.decrypt(ciphertext)
                except Exception as error:  # every failure is counted and the first few are shown
                    failures += 1
                    if failures <= 3:
                        print(f"  cannot decrypt {namespace} {document['_id']} {path}: {error}")
                    continue
                plaintext[f"{namespace} {document['_id']} {path}"] = hashlib.sha256(encode({"v": value})).hexdigest()
                count += 1
        print(f"{namespace}: {count} values decrypted with only {args.provider}")
    print(f"total: {len(plaintext)} values decrypted, {failures} failed")

    if args.write_snapshot:
        with open(args.write_snapshot, "w") as f:
            json.dump(plaintext, f)
    if args.snapshot:
        with open(args.snapshot) as f:
            before = json.load(f)
        differing = [key for key in before if plaintext.get(key) != before[key]]
        print(f"compared with {args.snapshot}: {len(before) - len(differing)}/{len(before)} values identical")
        failures += len(differing)
    encryption.close()
    sandbox.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
