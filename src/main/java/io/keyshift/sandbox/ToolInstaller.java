package io.keyshift.sandbox;

import io.keyshift.core.KeyShiftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Installs the sandbox's servers into a tools folder KeyShift owns (never the repository):
 * FerretDB built from its Go module, moto (with cheroot to serve it) and PyKMIP each in a virtualenv of its own.
 */
public final class ToolInstaller {

    public static final String FERRETDB_VERSION = "v1.24.2";
    /** Names the locally patched build, so a cached binary with other patches is not reused. */
    private static final String FERRETDB_PATCH_SUFFIX = "-ids3";
    public static final String MOTO_VERSION = "5.2.1";
    /** The HTTP/1.1 server moto is served by, with keep-alive as AWS KMS has (moto_server's werkzeug has none). */
    private static final String CHEROOT_VERSION = "11.1.2";
    public static final String PYKMIP_VERSION = "0.11.0";
    private static final String PYKMIP_CRYPTOGRAPHY_VERSION = "51.0.1";
    private static final String PYKMIP_SQLALCHEMY_VERSION = "2.1.9";

    private static final Logger LOG = LoggerFactory.getLogger(ToolInstaller.class);
    private static final String FERRETDB_MODULE = "github.com/FerretDB/FerretDB";

    private final Path toolsDir;
    private final Consumer<String> progress;

    public ToolInstaller(Path toolsDir, Consumer<String> progress) {
        this.toolsDir = toolsDir;
        this.progress = progress;
    }

    /** {@code $KEYSHIFT_TOOLS_DIR}, else {@code ~/.cache/keyshift/tools}. */
    public static Path defaultToolsDir() {
        String override = System.getenv("KEYSHIFT_TOOLS_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "keyshift", "tools");
    }

    /**
     * The FerretDB binary, built if missing. The module as published lacks the generated
     * build/version/version.txt, and a binary built by a plain {@code go install} panics at start
     * for that reason; so the module source is copied out of the Go module cache, the version file
     * written, and the same source built with its own go.mod and go.sum.
     *
     * <p>Three changes are made before building. The SQLite backend looks documents up by {@code _id}
     * for updates and deletes with an expression its own {@code _id} index does not match, and narrows
     * a query by {@code _id} only for strings and ObjectIds, so every other lookup scanned the whole
     * collection (150 to 600 ms per {@code find} by an integer or UUID {@code _id} at 10 000 documents,
     * and a scan of the key vault per data key a driver looks up). With the index's expression, and
     * queries narrowed by an {@code _id} of any type MongoDB applications use (also through {@code $eq},
     * {@code $in}, inside an {@code $and}, and the {@code $or} of a driver's key vault lookup by key id,
     * and when the filter names other fields too), a lookup by {@code _id} costs what it costs on
     * MongoDB: an index lookup. A third change releases each update's connection as soon as it is done,
     * so an update command of 100 statements or more no longer hangs the server.
     */
    public Path ferretDb() {
        Path binary = toolsDir.resolve("ferretdb-" + FERRETDB_VERSION + FERRETDB_PATCH_SUFFIX).resolve("ferretdb");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        progress.accept("Downloading FerretDB " + FERRETDB_VERSION + " from the Go module proxy…");
        String moduleDir = run(List.of("go", "mod", "download", "-json", FERRETDB_MODULE + "@" + FERRETDB_VERSION),
                toolsDir, Map.of("GOFLAGS", "-mod=mod"), 600);
        Path source = Path.of(org.bson.Document.parse(moduleDir).getString("Dir"));
        Path buildDir = toolsDir.resolve("ferretdb-" + FERRETDB_VERSION + "-src");
        copyWritable(source, buildDir);
        try {
            Files.writeString(buildDir.resolve("build/version/version.txt"), FERRETDB_VERSION + "\n");
            patchUpdates(buildDir);
        } catch (IOException e) {
            throw new KeyShiftException("Could not prepare the FerretDB build in " + buildDir + ": " + e.getMessage(), e);
        }
        progress.accept("Building FerretDB " + FERRETDB_VERSION + " (about two minutes the first time)…");
        Path staging = binary.resolveSibling("ferretdb.partial");
        run(List.of("go", "build", "-o", staging.toString(), "./cmd/ferretdb"), buildDir, Map.of(), 1200);
        move(staging, binary);
        deleteTree(buildDir);
        return binary;
    }

    private static void patchUpdates(Path buildDir) throws IOException {
        replace(buildDir.resolve("internal/backends/sqlite/metadata/metadata.go"), 1,
                "IDColumn = DefaultColumn + \"->'$._id'\"", "IDColumn = DefaultColumn + \"->\\\"_id\\\"\"");
        // Narrow a query by its _id condition whatever else the filter holds (an update's filter is
        // {_id, field: value}), for every _id type, in query and explain alike; the handler applies the
        // whole filter to what comes back, as for every query.
        Path collection = buildDir.resolve("internal/backends/sqlite/collection.go");
        replace(collection, 2, """
                \tif params.Filter.Len() == 1 {
                \t\tv, _ := params.Filter.Get("_id")
                \t\tswitch v.(type) {
                \t\tcase string, types.ObjectID:
                """, "\tif ids := idPushdown(params.Filter); ids != nil {\n\t\t{\n");
        replace(collection, 2, """
                \t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)
                \t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
                """, """
                \t\t\twhereClause = fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, placeholders(len(ids)))
                \t\t\targs = ids
                """);
        copyResource("ferretdb_id_pushdown.go", collection.resolveSibling("id_pushdown.go"));
        // Each update of a command held its query's connection until the whole command ended; with the
        // pool's 100 connections, an update command of 100 statements waited forever for a 101st.
        Path update = buildDir.resolve("internal/handler/msg_update.go");
        replace(update, 1, "\t\tcloser := iterator.NewMultiCloser()\n\t\tdefer closer.Close()\n",
                "\t\tcloser := iterator.NewMultiCloser()\n");
        replace(update, 1, "\t\tresult, err := common.UpdateDocument(ctx, c, \"update\", iter, &u)\n",
                "\t\tresult, err := common.UpdateDocument(ctx, c, \"update\", iter, &u)\n\t\tcloser.Close()\n");
    }

    /** Copies a file this package ships (a patch, a server launcher) to {@code target}. */
    static void copyResource(String name, Path target) throws IOException {
        try (var in = ToolInstaller.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new KeyShiftException("The sandbox file " + name + " is missing from this KeyShift build;"
                        + " reinstall KeyShift and try again.");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void replace(Path file, int occurrences, String expected, String replacement) throws IOException {
        String source = Files.readString(file);
        int found = source.split(java.util.regex.Pattern.quote(expected), -1).length - 1;
        if (found != occurrences) {
            throw new KeyShiftException("The FerretDB " + FERRETDB_VERSION + " source is not the one KeyShift knows: "
                    + file + " holds `" + expected + "` " + found + " time(s), not " + occurrences + ".");
        }
        Files.writeString(file, source.replace(expected, replacement));
    }

    /**
     * The Python of a virtualenv holding the pinned moto and cheroot, created if missing; the folder is
     * named after both, so a machine with an older install gets the new one.
     */
    public Path motoPython() {
        Path venv = virtualenv("moto-" + MOTO_VERSION + "-cheroot-" + CHEROOT_VERSION,
                "moto " + MOTO_VERSION + " (AWS KMS emulator)",
                List.of("moto[server]==" + MOTO_VERSION, "cheroot==" + CHEROOT_VERSION));
        return venv.resolve("bin").resolve("python3");
    }

    /**
     * The Python of a virtualenv holding the pinned PyKMIP, created if missing. PyKMIP 0.11.0 bounds
     * neither cryptography nor SQLAlchemy; the versions it is known to serve the sandbox with are pinned
     * so a later release of either cannot break it.
     */
    public Path pyKmipPython() {
        Path venv = virtualenv(pyKmipDir().getFileName().toString(), "PyKMIP " + PYKMIP_VERSION + " (KMIP server)",
                List.of("pykmip==" + PYKMIP_VERSION, "cryptography==" + PYKMIP_CRYPTOGRAPHY_VERSION,
                        "sqlalchemy==" + PYKMIP_SQLALCHEMY_VERSION));
        return venv.resolve("bin").resolve("python3");
    }

    /** Where PyKMIP's virtualenv is (or goes). */
    public Path pyKmipDir() {
        return toolsDir.resolve("pykmip-" + PYKMIP_VERSION);
    }

    /** A virtualenv under the tools dir with the given requirements, created (afresh) unless complete. */
    private Path virtualenv(String name, String description, List<String> requirements) {
        Path venv = toolsDir.resolve(name);
        // Written only after pip succeeded: a virtualenv without it is a partial install to redo.
        Path complete = venv.resolve("keyshift-install-complete");
        if (Files.exists(complete)) {
            return venv;
        }
        progress.accept("Installing " + description + " into " + venv + "…");
        deleteTree(venv);
        run(List.of(python(), "-m", "venv", venv.toString()), toolsDir, Map.of(), 300);
        List<String> pip = new ArrayList<>(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet",
                "--disable-pip-version-check"));
        pip.addAll(requirements);
        run(pip, toolsDir, Map.of(), 900);
        try {
            Files.writeString(complete, String.join("\n", requirements) + "\n");
        } catch (IOException e) {
            throw new KeyShiftException("Could not finish the install in " + venv + ": " + e.getMessage(), e);
        }
        return venv;
    }

    private static String python() {
        return Stream.of("python3", "python")
                .filter(ToolInstaller::onPath)
                .findFirst()
                .orElseThrow(() -> new KeyShiftException(
                        "Python 3 is needed for the sandbox's AWS KMS emulator and KMIP server and was not found on PATH."
                        + " Install python3 (with the venv module) and try again."));
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private String run(List<String> command, Path workDir, Map<String, String> env, int timeoutSeconds) {
        try {
            Files.createDirectories(workDir);
            Path output = Files.createTempFile(toolsDir, "install", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(false)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(output.resolveSibling(output.getFileName() + ".err").toFile()));
            builder.environment().putAll(env);
            LOG.info("Running {}", command);
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            Path errors = output.resolveSibling(output.getFileName() + ".err");
            String stdout = Files.readString(output, StandardCharsets.UTF_8);
            String stderr = Files.exists(errors) ? Files.readString(errors, StandardCharsets.UTF_8) : "";
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
            if (!finished) {
                process.destroyForcibly();
                throw new KeyShiftException("'" + String.join(" ", command) + "' did not finish within "
                        + timeoutSeconds + " s. Check the network access to the package registries and try again.");
            }
            if (process.exitValue() != 0) {
                LOG.error("{} failed:\n{}\n{}", command, stdout, stderr);
                throw new KeyShiftException("'" + String.join(" ", command) + "' failed with exit code "
                        + process.exitValue() + ": " + lastLine(stderr.isBlank() ? stdout : stderr));
            }
            return stdout;
        } catch (IOException e) {
            throw new KeyShiftException("Could not run '" + command.get(0) + "': " + e.getMessage()
                    + ". The sandbox needs Go and Python 3 on PATH.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyShiftException("Interrupted while installing the sandbox tools.", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static void copyWritable(Path from, Path to) {
        deleteTree(to);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
                target.toFile().setWritable(true, true);
            }
        } catch (IOException e) {
            throw new KeyShiftException("Could not copy the FerretDB source to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KeyShiftException("Could not install " + to + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                path.toFile().setWritable(true, true);
                path.toFile().delete();
            });
        } catch (IOException e) {
            throw new KeyShiftException("Could not delete " + root + ": " + e.getMessage(), e);
        }
    }
}
