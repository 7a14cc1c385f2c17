package io.keyshift.testing;

import io.keyshift.sandbox.Sandbox;
import io.keyshift.sandbox.SandboxInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MongoDBContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives tests a {@link TestStack}, started once per test run and stopped when the run ends. Where a
 * Docker engine answers, MongoDB is a real replica set in a container; elsewhere it is FerretDB.
 * Either way the KMS is the sandbox's moto server, with IAM authentication on.
 */
public final class StackExtension implements ParameterResolver {

    /** Documents per seeded collection: enough to page and batch, few enough to seed in seconds. */
    public static final int DOCUMENTS = Integer.getInteger("keyshift.test.documents", 300);

    private static final Logger LOG = LoggerFactory.getLogger(StackExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningStack.class, key -> RunningStack.start(), RunningStack.class);
    }

    /** The stack of this test run; JUnit closes it when the root context ends. */
    static final class RunningStack implements TestStack, ExtensionContext.Store.CloseableResource {
        private final Sandbox sandbox;
        private final MongoDBContainer mongo;

        private RunningStack(Sandbox sandbox, MongoDBContainer mongo) {
            this.sandbox = sandbox;
            this.mongo = mongo;
        }

        static RunningStack start() {
            Path dir;
            try {
                dir = Files.createTempDirectory("keyshift-stack");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Sandbox.Options options = Sandbox.Options.defaults().withDir(dir).withDocuments(DOCUMENTS);
            MongoDBContainer mongo = null;
            if (dockerAvailable()) {
                mongo = new MongoDBContainer("mongo:7.0");
                mongo.start();
                options = options.withExternalMongodb(mongo.getReplicaSetUrl());
            }
            LOG.info("Starting the test stack in {}", dir);
            return new RunningStack(Sandbox.start(options, line -> LOG.info(line)), mongo);
        }

        private static boolean dockerAvailable() {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError noEngine) {
                return false;
            }
        }

        @Override
        public SandboxInfo info() {
            return sandbox.info();
        }

        @Override
        public Path dir() {
            return sandbox.dir();
        }

        @Override
        public String name() {
            return mongo == null ? "local (FerretDB + moto)" : "docker (MongoDB + moto)";
        }

        @Override
        public boolean supportsServerSideSchema() {
            return mongo != null;
        }

        @Override
        public Sandbox sandbox() {
            return sandbox;
        }

        @Override
        public void close() {
            sandbox.close();
            if (mongo != null) {
                mongo.stop();
            }
        }
    }
}
