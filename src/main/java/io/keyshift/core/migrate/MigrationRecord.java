package io.keyshift.core.migrate;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonNull;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One migration as the journal holds it: enough to resume it from this workstation or another.
 *
 * @param sourceProvider the provider the selected keys are under now ({@code local}, {@code local:old})
 * @param target         the provider and master key the keys move to; null for DECRYPT
 * @param chunks         the keys in the order they are rewrapped, with what happened to each chunk
 *                       (REKEY and DECRYPT: one chunk holding the selected keys)
 * @param rekey          REKEY and DECRYPT only (null for REWRAP): the new keys and each collection's checkpoint
 */
public record MigrationRecord(String id,
                              Strategy strategy,
                              String createdBy,
                              Instant createdAt,
                              String keyVault,
                              String sourceProvider,
                              Target target,
                              Path backupFile,
                              String backupSha256,
                              Stage stage,
                              List<Chunk> chunks,
                              long retries,
                              List<String> warnings,
                              Rekey rekey) {

    /**
     * The KMS a rewrap of this migration's keys calls, as a DBA names it: the source's to unwrap and the
     * target's to wrap ({@code AWS KMS or Azure Key Vault}); a local master key calls none.
     */
    public String kmsCalled() {
        Set<String> called = new LinkedHashSet<>();
        for (String provider : target == null ? List.of(sourceProvider) : List.of(sourceProvider, target.provider())) {
            if (!provider.equals("local") && !provider.startsWith("local:")) {
                called.add(Target.kmsName(provider));
            }
        }
        return called.isEmpty() ? "the KMS" : String.join(" or ", called);
    }

    /** Where a migration stands. */
    public enum Stage {
        PLANNED("stopped before its backup, having written nothing else"),
        BACKED_UP("stopped after its backup, before any other write"),
        REWRAPPING("stopped while rewrapping the keys"),
        CREATING_KEYS("stopped at its new keys (created, or being created), before re-encrypting any value"),
        REENCRYPTING("stopped while re-encrypting values"),
        /** Journaled by earlier versions only, which ran a catch-up pass and then verified; resumed as FINAL_PASS. */
        CATCHING_UP("stopped in the catch-up pass"),
        FINAL_PASS("stopped in the final pass, which converts values written under an old key meanwhile and verifies"),
        INTERRUPTED("interrupted between batches (Ctrl-C, Pause or a closed window)"),
        /** REWRAP's verification; a REKEY or DECRYPT journaled by an earlier version may also stand here. */
        VERIFYING("stopped while verifying"),
        MOVING_ALT_NAMES("stopped while moving keyAltNames to the new keys"),
        DONE("done and verified"),
        FAILED("stopped on a failure (its report or the log says which)"),
        ABANDONED("abandoned");

        private final String inWords;

        Stage(String inWords) {
            this.inWords = inWords;
        }

        /** Where the migration stands, as a DBA reads it (never the enum name). */
        public String inWords() {
            return inWords;
        }

        /**
         * True when {@code keyshift resume} can take the migration further. Such a migration holds its
         * keys: no other migration may start on them until it is done or abandoned.
         */
        public boolean resumable() {
            return this != DONE && this != ABANDONED;
        }
    }

    /**
     * Where the keys move: a provider name as in kmsProviders and the masterKey document naming the key
     * in it (aws {@code {region, key, endpoint?}}; kmip {@code {keyId?, endpoint?}}; local none).
     *
     * @param via the named provider a REWRAP passes through when the target has the name of the source
     *            ({@code local} → {@code local} with another key file): each key is rewrapped to it, then back to
     *            the plain name; null when the keys go straight to the target
     */
    public record Target(String provider, BsonDocument masterKey, String via) {

        public Target {
            masterKey = masterKey.clone();
        }

        /** The same target with the masterKey its checks settled (a KMIP key id the server created). */
        public Target withMasterKey(BsonDocument settled) {
            return new Target(provider, settled, via);
        }

        /** An AWS CMK, as journaled by every version; {@code endpoint} is null for the region's own. */
        public Target(String region, String cmk, String endpoint) {
            this("aws", awsMasterKey(region, cmk, endpoint), null);
        }

        private static BsonDocument awsMasterKey(String region, String cmk, String endpoint) {
            BsonDocument masterKey = new BsonDocument("region", new BsonString(region)).append("key", new BsonString(cmk));
            if (endpoint != null) {
                masterKey.append("endpoint", new BsonString(endpoint));
            }
            return masterKey;
        }

        @Override
        public BsonDocument masterKey() {
            return masterKey.clone();
        }

        /** The provider's type: {@code local}, {@code aws}, {@code kmip} … */
        public String type() {
            int colon = provider.indexOf(':');
            return colon < 0 ? provider : provider.substring(0, colon);
        }

        /** aws: the region of the CMK; null for other providers. */
        public String region() {
            return field("region");
        }

        /** aws: the CMK's ARN; null for other providers. */
        public String cmk() {
            return "aws".equals(type()) ? field("key") : null;
        }

        /** The custom KMS endpoint stored in each key's masterKey; null without one. */
        public String endpoint() {
            return field("endpoint");
        }

        private String field(String name) {
            return masterKey.isString(name) ? masterKey.getString(name).getValue() : null;
        }

        /** The KMS as a DBA names it in a sentence: {@code AWS KMS}, {@code the KMIP server} … */
        public String kmsName() {
            return "local".equals(type()) ? "the new local master key" : kmsName(provider);
        }

        /** The KMS of a provider that calls one: {@code AWS KMS} for {@code aws:prod} … */
        static String kmsName(String provider) {
            int colon = provider.indexOf(':');
            return switch (colon < 0 ? provider : provider.substring(0, colon)) {
                case "aws" -> "AWS KMS";
                case "kmip" -> "the KMIP server";
                case "azure" -> "Azure Key Vault";
                case "gcp" -> "Google Cloud KMS";
                default -> "provider " + provider;
            };
        }

        /** The kmsProviders name a same-name REWRAP passes through: {@code local} goes by {@code local:keyshift}. */
        static String viaName(String provider) {
            int colon = provider.indexOf(':');
            return (colon < 0 ? provider : provider.substring(0, colon)) + ":keyshift";
        }

        /** One line, no secret: {@code aws (arn:…, eu-west-1)}, {@code kmip (key 12)}, {@code local (a new key file)}. */
        public String describe() {
            String key = switch (type()) {
                case "aws" -> cmk() + ", " + region();
                case "kmip" -> field("keyId") == null ? "a key the KMIP server creates" : "key " + field("keyId");
                case "local" -> "a new local master key";
                case "azure" -> "key " + field("keyName") + " in " + field("keyVaultEndpoint");
                case "gcp" -> "key " + field("keyName") + " of key ring " + field("keyRing");
                default -> masterKey.toJson();
            };
            return provider + " (" + key + ")";
        }

        /**
         * Whether {@code given} names this target, as a resume must: the same provider name and master key
         * (an endpoint aside, which credentials may reach another way).
         */
        public boolean namedBy(String providerName, BsonDocument givenMasterKey) {
            BsonDocument mine = masterKey();
            BsonDocument theirs = givenMasterKey.clone();
            mine.remove("endpoint");
            theirs.remove("endpoint");
            return provider.equals(providerName) && mine.equals(theirs);
        }

        BsonDocument toBson() {
            BsonDocument document = new BsonDocument("provider", new BsonString(provider)).append("masterKey", masterKey());
            if (via != null) {
                document.append("via", new BsonString(via));
            }
            return document;
        }

        /** Reads both forms: this version's, and the AWS-only {@code {provider, region, cmk, endpoint?}} of earlier ones. */
        static Target fromBson(BsonDocument target) {
            if (target.isDocument("masterKey")) {
                return new Target(target.getString("provider").getValue(), target.getDocument("masterKey"),
                        target.isString("via") ? target.getString("via").getValue() : null);
            }
            return new Target(target.getString("region").getValue(), target.getString("cmk").getValue(),
                    target.isString("endpoint") ? target.getString("endpoint").getValue() : null);
        }

        /**
         * What a plan says about a custom endpoint: it goes into each key's masterKey, and applications
         * decrypting with those keys call it. Empty without one.
         */
        public Optional<String> endpointNotice(String keys) {
            String own = "aws".equals(type()) ? "AWS's own endpoint for " + region() : "the provider's own endpoint";
            return Optional.ofNullable(endpoint()).map(host -> "Endpoint: " + host + " is stored in the masterKey of "
                    + keys + ", and applications will call it (not " + own + ") to decrypt:"
                    + " it must stay reachable from every application host.");
        }
    }

    /**
     * A batch of keys rewrapped by one rewrapManyDataKey call (two through a {@link Target#via} provider).
     *
     * @param underVia true once every key of the chunk is under the {@code via} provider, before the
     *                 rewrap back to the target's name: keys of the chunk under the plain name are then
     *                 under the new master key, not the old one
     */
    public record Chunk(int index, List<UUID> keyIds, boolean done, int rewrapped, int attempts, boolean underVia) {
        public Chunk {
            keyIds = List.copyOf(keyIds);
        }

        public Chunk(int index, List<UUID> keyIds, boolean done, int rewrapped, int attempts) {
            this(index, keyIds, done, rewrapped, attempts, false);
        }
    }

    /**
     * What a REKEY or DECRYPT has done so far.
     *
     * @param dekMapping  old key → new key, in the order the new keys were created (empty for DECRYPT)
     * @param collections one checkpoint per collection, in the order they are processed
     */
    public record Rekey(int batchSize, int workers, boolean moveAltNames, boolean altNamesMoved,
                        List<KeyPair> dekMapping, List<CollectionCheckpoint> collections) {
        public Rekey {
            dekMapping = List.copyOf(dekMapping);
            collections = List.copyOf(collections);
        }

        public Map<UUID, UUID> oldToNew() {
            Map<UUID, UUID> map = new LinkedHashMap<>();
            dekMapping.forEach(pair -> map.put(pair.oldId(), pair.newId()));
            return map;
        }
    }

    /** An old data key and the new one whose values replace it. */
    public record KeyPair(UUID oldId, UUID newId) {
    }

    /**
     * How far one collection has got. {@code lastId} is the last {@code _id} of the documents done in
     * {@code _id} order (null before the first batch); counts add up over runs and resumes.
     *
     * @param skipped documents read that held no value under an old key (already converted, or never encrypted)
     * @param errors  the values that could not be converted, each with its document and path (first few)
     */
    public record CollectionCheckpoint(String namespace, long documents, BsonValue lastId, boolean done,
                                       long scanned, long skipped, long converted, long conflicts, long failed,
                                       List<String> errors) {
        public CollectionCheckpoint {
            errors = List.copyOf(errors);
        }
    }

    public MigrationRecord {
        chunks = List.copyOf(chunks);
        warnings = List.copyOf(warnings);
    }

    public int keyCount() {
        return chunks.stream().mapToInt(chunk -> chunk.keyIds().size()).sum();
    }

    public List<UUID> keyIds() {
        return chunks.stream().flatMap(chunk -> chunk.keyIds().stream()).toList();
    }

    public int keysDone() {
        return chunks.stream().filter(Chunk::done).mapToInt(chunk -> chunk.keyIds().size()).sum();
    }

    BsonDocument toBson() {
        BsonValue target = this.target == null ? BsonNull.VALUE : this.target.toBson();
        BsonArray chunkArray = new BsonArray();
        chunks.forEach(chunk -> chunkArray.add(chunkToBson(chunk)));
        BsonDocument document = new BsonDocument("_id", new BsonString(id))
                .append("strategy", new BsonString(strategy.name()))
                .append("createdBy", new BsonString(createdBy))
                .append("createdAt", new BsonDateTime(createdAt.toEpochMilli()))
                .append("updatedAt", new BsonDateTime(createdAt.toEpochMilli()))
                .append("keyVault", new BsonString(keyVault))
                .append("sourceProvider", new BsonString(sourceProvider))
                .append("target", target)
                .append("backup", new BsonDocument("path", new BsonString(backupFile.toString()))
                        .append("sha256", new BsonString(backupSha256 == null ? "" : backupSha256)))
                .append("stage", new BsonString(stage.name()))
                .append("chunks", chunkArray)
                .append("retries", new BsonInt64(retries))
                .append("warnings", new BsonArray(warnings.stream().map(w -> (BsonValue) new BsonString(w)).toList()))
                .append("rekey", rekey == null ? BsonNull.VALUE : rekeyToBson(rekey));
        if (rekey != null) {
            BsonArray mapping = new BsonArray();
            rekey.dekMapping().forEach(pair -> mapping.add(keyPairToBson(pair)));
            document.append("dekMapping", mapping).append("altNamesMoved", BsonBoolean.valueOf(rekey.altNamesMoved()));
        }
        return document;
    }

    private static BsonDocument rekeyToBson(Rekey rekey) {
        BsonArray collections = new BsonArray();
        rekey.collections().forEach(checkpoint -> collections.add(checkpointToBson(checkpoint)));
        return new BsonDocument("batchSize", new BsonInt32(rekey.batchSize()))
                .append("workers", new BsonInt32(rekey.workers()))
                .append("moveAltNames", BsonBoolean.valueOf(rekey.moveAltNames()))
                .append("collections", collections);
    }

    /** Top-level, where `keyshift schema --migration` reads them (docs/schema-mapping.md). */
    static BsonDocument keyPairToBson(KeyPair pair) {
        return new BsonDocument("old", new BsonBinary(pair.oldId())).append("new", new BsonBinary(pair.newId()));
    }

    static BsonDocument checkpointToBson(CollectionCheckpoint checkpoint) {
        return new BsonDocument("namespace", new BsonString(checkpoint.namespace()))
                .append("documents", new BsonInt64(checkpoint.documents()))
                .append("lastId", checkpoint.lastId() == null ? BsonNull.VALUE : checkpoint.lastId())
                .append("done", BsonBoolean.valueOf(checkpoint.done()))
                .append("scanned", new BsonInt64(checkpoint.scanned()))
                .append("skipped", new BsonInt64(checkpoint.skipped()))
                .append("converted", new BsonInt64(checkpoint.converted()))
                .append("conflicts", new BsonInt64(checkpoint.conflicts()))
                .append("failed", new BsonInt64(checkpoint.failed()))
                .append("errors", new BsonArray(checkpoint.errors().stream().map(e -> (BsonValue) new BsonString(e)).toList()));
    }

    private static Rekey rekeyFromBson(BsonDocument doc) {
        BsonValue value = doc.get("rekey");
        if (value == null || !value.isDocument()) {
            return null;
        }
        BsonDocument rekey = value.asDocument();
        List<KeyPair> mapping = doc.getArray("dekMapping", new BsonArray()).stream().map(BsonValue::asDocument)
                .map(pair -> new KeyPair(pair.getBinary("old").asUuid(), pair.getBinary("new").asUuid())).toList();
        List<CollectionCheckpoint> collections = rekey.getArray("collections").stream().map(BsonValue::asDocument)
                .map(c -> new CollectionCheckpoint(c.getString("namespace").getValue(), c.getNumber("documents").longValue(),
                        c.isNull("lastId") ? null : c.get("lastId"), c.getBoolean("done").getValue(),
                        c.getNumber("scanned").longValue(), c.getNumber("skipped").longValue(), c.getNumber("converted").longValue(),
                        c.getNumber("conflicts").longValue(), c.getNumber("failed").longValue(),
                        c.getArray("errors").stream().map(e -> e.asString().getValue()).toList()))
                .toList();
        return new Rekey(rekey.getInt32("batchSize").getValue(), rekey.getInt32("workers").getValue(),
                rekey.getBoolean("moveAltNames").getValue(),
                doc.isBoolean("altNamesMoved") && doc.getBoolean("altNamesMoved").getValue(), mapping, collections);
    }

    static BsonDocument chunkToBson(Chunk chunk) {
        return new BsonDocument("index", new BsonInt32(chunk.index()))
                .append("keyIds", new BsonArray(chunk.keyIds().stream().map(id -> (BsonValue) new BsonBinary(id)).toList()))
                .append("status", new BsonString(chunk.done() ? "DONE" : chunk.underVia() ? "UNDER_VIA" : "PENDING"))
                .append("rewrapped", new BsonInt32(chunk.rewrapped()))
                .append("attempts", new BsonInt32(chunk.attempts()));
    }

    static MigrationRecord fromBson(BsonDocument doc) {
        BsonDocument target = doc.isDocument("target") ? doc.getDocument("target") : null;
        BsonDocument backup = doc.getDocument("backup");
        List<Chunk> chunks = doc.getArray("chunks").stream().map(BsonValue::asDocument).map(chunk -> new Chunk(
                chunk.getInt32("index").getValue(),
                chunk.getArray("keyIds").stream().map(id -> id.asBinary().asUuid()).toList(),
                chunk.getString("status").getValue().equals("DONE"),
                chunk.getInt32("rewrapped").getValue(),
                chunk.getInt32("attempts").getValue(),
                chunk.getString("status").getValue().equals("UNDER_VIA"))).toList();
        String sha = backup.getString("sha256").getValue();
        return new MigrationRecord(doc.getString("_id").getValue(),
                Strategy.valueOf(doc.getString("strategy").getValue()),
                doc.getString("createdBy").getValue(),
                Instant.ofEpochMilli(doc.getDateTime("createdAt").getValue()),
                doc.getString("keyVault").getValue(),
                doc.getString("sourceProvider").getValue(),
                target == null ? null : Target.fromBson(target),
                Path.of(backup.getString("path").getValue()),
                sha.isEmpty() ? null : sha,
                Stage.valueOf(doc.getString("stage").getValue()),
                chunks,
                doc.getNumber("retries").longValue(),
                doc.getArray("warnings").stream().map(w -> w.asString().getValue()).toList(),
                rekeyFromBson(doc));
    }
}
