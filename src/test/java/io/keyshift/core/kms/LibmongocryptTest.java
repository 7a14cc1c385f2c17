package io.keyshift.core.kms;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibmongocryptTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.5.0", "1.5.1", "1.5.0-rc2", "1.5.1+20220713gitabcdef"})
    void refusesTheReleasesThatCorruptRewraps(String version) {
        assertThatThrownBy(() -> Libmongocrypt.requireSafe(version))
                .isInstanceOf(KeyShiftException.class)
                .hasMessage("This KeyShift runs with libmongocrypt " + version + ", which corrupts data keys when it"
                        + " rewraps them: use a KeyShift build with libmongocrypt 1.5.2 or later (the mongodb-crypt"
                        + " library that carries it); nothing was changed.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.4.1", "1.5.2", "1.15.0", "1.15.1", "2.0.0", "1.50.1", "11.5.0", "unknown"})
    void acceptsOtherReleases(String version) {
        assertThatCode(() -> Libmongocrypt.requireSafe(version)).doesNotThrowAnyException();
    }

    @Test
    void readsTheVersionOfTheBundledNativeLibrary() {
        assertThat(Libmongocrypt.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThatCode(Libmongocrypt::requireSafe).doesNotThrowAnyException();
    }
}
