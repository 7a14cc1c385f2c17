package io.keyshift.core.keyvault;

import java.util.List;
import java.util.Optional;

/** One page of data keys, and the page after it when there may be more. */
public record KeyPage(List<DataKey> keys, Optional<Page> next) {

    public KeyPage {
        keys = List.copyOf(keys);
    }
}
