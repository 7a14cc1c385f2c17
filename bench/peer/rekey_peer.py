"""REKEY as a DBA would script it: a new data key under the CMK per local key, then every encrypted
value decrypted and encrypted again under its new key, written back with bulk_write of 1 000 UpdateOne.
Prints one JSON line: documents changed, values converted, seconds."""
import json
import sys
import time
import uuid

from bson.binary import Binary
from pymongo import UpdateOne
from pymongo.encryption import Algorithm

BATCH = 1000
ALGORITHMS = {1: Algorithm.AEAD_AES_256_CBC_HMAC_SHA_512_Deterministic,
              2: Algorithm.AEAD_AES_256_CBC_HMAC_SHA_512_Random}


def ciphertexts(value, path=""):
    """(dotted path, ciphertext) of every CSFLE value in a document, inside sub-documents and arrays."""
    if isinstance(value, dict):
        for name, child in value.items():
            yield from ciphertexts(child, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from ciphertexts(child, f"{path}.{i}")
    elif isinstance(value, Binary) and value.subtype == 6 and len(value) > 17 and value[0] in ALGORITHMS:
        yield path, value


def main(sandbox_json):
    from sandbox_client import SandboxClient
    sandbox = SandboxClient(sandbox_json)
    started = time.monotonic()
    encryption = sandbox.encryption
    old_keys = [key["_id"] for key in sandbox.key_vault.find({"masterKey.provider": "local"}, {"_id": 1})]
    new_keys = {old: encryption.create_data_key("aws", master_key=sandbox.master_key) for old in old_keys}
    documents = values = 0
    for namespace in sandbox.namespaces():
        db, name = namespace.split(".", 1)
        collection = sandbox.client[db][name]
        updates = []
        for document in collection.find({}, batch_size=BATCH):
            changes = {}
            for path, ciphertext in ciphertexts(document):
                new_key = new_keys.get(uuid.UUID(bytes=bytes(ciphertext[1:17])))
                if new_key is not None:
                    plaintext = encryption.decrypt(ciphertext)
                    changes[path] = encryption.encrypt(plaintext, ALGORITHMS[ciphertext[0]], key_id=new_key)
            if changes:
                updates.append(UpdateOne({"_id": document["_id"]}, {"$set": changes}))
                documents += 1
                values += len(changes)
            if len(updates) == BATCH:
                collection.bulk_write(updates, ordered=False)
                updates = []
        if updates:
            collection.bulk_write(updates, ordered=False)
    seconds = time.monotonic() - started
    sandbox.close()
    print(json.dumps({"keys": len(new_keys), "documents": documents, "values": values, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1])
