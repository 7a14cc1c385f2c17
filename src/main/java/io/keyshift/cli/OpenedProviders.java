package io.keyshift.cli;

import io.keyshift.core.kms.KmsProvider;

import java.util.List;

/** Providers a command built from its options and owns: closing them wipes key copies and ends credential providers. */
record OpenedProviders(List<KmsProvider> providers) implements AutoCloseable {

    OpenedProviders {
        providers = List.copyOf(providers);
    }

    @Override
    public void close() {
        providers.forEach(KmsProvider::close);
    }
}
