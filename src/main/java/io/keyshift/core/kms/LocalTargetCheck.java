package io.keyshift.core.kms;

import io.keyshift.core.kms.KmsCheck.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a new local key file: it holds a key (read when the provider was made), only its owner
 * may read it, and it is not a source key again, which would make the rotation change nothing.
 */
final class LocalTargetCheck {

    static final KmsCheck.Name KEY_FILE = new KmsCheck.Name("key_file", "Key file");
    static final KmsCheck.Name OWNER_ONLY = new KmsCheck.Name("owner_only", "Readable by its owner only");
    static final KmsCheck.Name NEW_KEY = new KmsCheck.Name("new_key", "Differs from the source keys");
    /** Only the MAC and encryption halves wrap data keys; the last 32 bytes never matter. */
    private static final int WRAPPING_BYTES = 64;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private LocalTargetCheck() {
    }

    static KmsCheckReport run(KmsTarget target, Collection<? extends KmsProvider> sources) {
        LocalProvider local = (LocalProvider) target.provider();
        List<KmsCheck> checks = new ArrayList<>();
        String file = local.file().map(Path::toString).orElse("the new key file");
        checks.add(new KmsCheck(KEY_FILE, Status.OK, "The file " + file + " holds a " + LocalMasterKey.LENGTH
                + "-byte key."));
        checks.add(ownerOnly(local));
        checks.add(newKey(local, sources.stream().filter(LocalProvider.class::isInstance)
                .map(LocalProvider.class::cast).toList()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("keyFile", local.file().map(Path::toString).orElse(null));
        return new KmsCheckReport(local.name(), target.describe(), true, checks, details);
    }

    private static KmsCheck ownerOnly(LocalProvider local) {
        Optional<Path> file = local.file();
        if (file.isEmpty()) {
            return new KmsCheck(OWNER_ONLY, Status.SKIPPED, "Not run: the key was not read from a file.");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file.get(), PosixFileAttributeView.class);
        if (posix == null) {
            return new KmsCheck(OWNER_ONLY, Status.SKIPPED, "Not run: this file system has no POSIX permissions;"
                    + " make sure only you may read " + file.get() + ".");
        }
        try {
            Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
            permissions.retainAll(OTHERS);
            return permissions.isEmpty()
                    ? new KmsCheck(OWNER_ONLY, Status.OK, "Only its owner may read " + file.get() + ".")
                    : new KmsCheck(OWNER_ONLY, Status.WARN, "Others than its owner may read or write " + file.get()
                      + ": run chmod 600 " + file.get() + " before the key wraps any data key.");
        } catch (IOException e) {
            return new KmsCheck(OWNER_ONLY, Status.WARN, "Could not read the permissions of " + file.get() + " ("
                    + e.getMessage() + "): make sure only you may read it.");
        }
    }

    private static KmsCheck newKey(LocalProvider target, List<LocalProvider> sources) {
        if (sources.isEmpty()) {
            return new KmsCheck(NEW_KEY, Status.SKIPPED, "Not run: no source local key file was given to compare with.");
        }
        byte[] key = keyBytes(target);
        try {
            for (LocalProvider source : sources) {
                byte[] old = keyBytes(source);
                try {
                    if (sameWrappingKey(key, old)) {
                        return new KmsCheck(NEW_KEY, Status.FAIL, "The new key file holds the same key as "
                                + source.describe() + (Arrays.equals(key, old) ? "" : " (only its last 32 bytes,"
                                + " which never wrap a data key, differ)") + ": rotating to it would change"
                                + " nothing. Make a new key file with keyshift local-key new FILE and give that one.");
                    }
                } finally {
                    Arrays.fill(old, (byte) 0);
                }
            }
            return new KmsCheck(NEW_KEY, Status.OK, "The new key differs from every source local key.");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static boolean sameWrappingKey(byte[] key, byte[] other) {
        int difference = 0;
        for (int i = 0; i < WRAPPING_BYTES; i++) {
            difference |= key[i] ^ other[i];
        }
        return difference == 0;
    }

    private static byte[] keyBytes(LocalProvider provider) {
        return (byte[]) provider.masterKey().kmsProviderProperties().get("key");
    }
}
