"""What both peers need from a KeyShift sandbox's sandbox.json: a client and a ClientEncryption."""
import json

from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from pymongo import MongoClient
from pymongo.encryption import ClientEncryption

CODEC = CodecOptions(uuid_representation=UuidRepresentation.STANDARD)


class SandboxClient:
    def __init__(self, sandbox_json):
        with open(sandbox_json) as f:
            self.info = json.load(f)
        aws = self.info["aws"]
        with open(self.info["localKeyFile"], "rb") as f:
            local_key = f.read()
        self.client = MongoClient(self.info["mongodbUri"], uuidRepresentation="standard")
        db, coll = self.info["keyVaultNamespace"].split(".", 1)
        self.key_vault = self.client[db].get_collection(coll, codec_options=CODEC)
        self.master_key = {"region": aws["region"], "key": aws["cmkArn"], "endpoint": aws["endpoint"]}
        self.encryption = ClientEncryption(
            {"local": {"key": local_key},
             "aws": {"accessKeyId": aws["migrator"]["accessKeyId"],
                     "secretAccessKey": aws["migrator"]["secretAccessKey"]}},
            self.info["keyVaultNamespace"], self.client, CODEC,
            kms_tls_options={"aws": {"tlsCAFile": aws["caFile"]}})

    def namespaces(self):
        with open(self.info["schemaMapFile"]) as f:
            return list(json.load(f).keys())

    def close(self):
        self.encryption.close()
        self.client.close()
