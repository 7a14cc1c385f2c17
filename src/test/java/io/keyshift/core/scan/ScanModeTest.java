package io.keyshift.core.scan;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScanModeTest {

    @Test
    void parsesSampleAndFull() {
        assertThat(ScanMode.parse("sample:250")).isEqualTo(ScanMode.sample(250));
        assertThat(ScanMode.parse("full").isFull()).isTrue();
        assertThat(ScanMode.parse("sample:250").toString()).isEqualTo("sample:250");
    }

    @Test
    void rejectsAnythingElseWithTheAcceptedForms() {
        assertThatThrownBy(() -> ScanMode.parse("sample:lots"))
                .isInstanceOf(KeyShiftException.class)
                .hasMessageContaining("use sample:N (e.g. sample:1000) or full");
        assertThatThrownBy(() -> ScanMode.parse("sample:0")).hasMessageContaining("at least 1 document");
    }
}
