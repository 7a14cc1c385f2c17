"""REWRAP as a DBA would script it: one rewrap_many_data_key of every key under the local master key
to the CMK. Prints one JSON line: keys rewrapped, seconds."""
import json
import sys
import time


def main(sandbox_json):
    from sandbox_client import SandboxClient
    sandbox = SandboxClient(sandbox_json)
    started = time.monotonic()
    result = sandbox.encryption.rewrap_many_data_key({"masterKey.provider": "local"}, provider="aws",
                                                     master_key=sandbox.master_key)
    seconds = time.monotonic() - started
    keys = result.bulk_write_result.modified_count if result.bulk_write_result else 0
    sandbox.close()
    print(json.dumps({"keys": keys, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1])
