package io.keyshift.cli;

import io.keyshift.core.kms.ProviderType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/** {@code --to}: which KMS provider new and rewrapped keys go to. */
final class TargetOption {

    @Option(names = "--to", paramLabel = "PROVIDER", converter = Converter.class, completionCandidates = Names.class,
            description = "The KMS provider the keys go to: ${COMPLETION-CANDIDATES} (default: aws); each takes its own"
                    + " options below.")
    ProviderType type = ProviderType.AWS;

    static final class Converter implements ITypeConverter<ProviderType> {
        @Override
        public ProviderType convert(String value) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(ProviderType.values()).filter(type -> type.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a provider KeyShift can move"
                            + " keys to: give one of " + String.join(", ", new Names()) + "."));
        }
    }

    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ProviderType.values()).map(ProviderType::wireName).iterator();
        }
    }
}
