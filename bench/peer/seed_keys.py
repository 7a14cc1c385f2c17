"""Adds data keys under the local master key until the sandbox's key vault holds N of them."""
import sys


def main(sandbox_json, total):
    from sandbox_client import SandboxClient
    sandbox = SandboxClient(sandbox_json)
    have = sandbox.key_vault.count_documents({"masterKey.provider": "local"})
    for _ in range(max(0, int(total) - have)):
        sandbox.encryption.create_data_key("local")
    sandbox.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
