package io.keyshift.ui.error;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    private final Failures failures = new Failures();

    @Test
    void engineFailureIsItsOwnSentenceAndOpensNoErrorPage() {
        String sentence = failures.sentence(new KeyShiftException("The CA file /x.pem holds no certificate: it must hold PEM certificates."));

        assertThat(sentence).isEqualTo("The CA file /x.pem holds no certificate: it must hold PEM certificates.");
        assertThat(failures.unexpectedProperty().get()).isNull();
    }

    @Test
    void unexpectedFailureOpensTheErrorPageWithACodeAndTheDetails() {
        String sentence = failures.sentence(failAt());

        UnexpectedError error = failures.unexpectedProperty().get();
        assertThat(error.code()).matches("KS-[0-9A-F]{6}");
        assertThat(sentence).contains("error " + error.code());
        assertThat(error.message()).startsWith("Something unexpected failed (IllegalStateException). KeyShift wrote nothing;");
        assertThat(error.details()).contains("java.lang.IllegalStateException: a bug", "at io.keyshift.ui.error.FailuresTest.failAt");

        failures.dismiss();
        assertThat(failures.unexpectedProperty().get()).isNull();
    }

    @Test
    void sameFailureAtTheSamePlaceHasTheSameCode() {
        assertThat(UnexpectedError.of(failAt()).code()).isEqualTo(UnexpectedError.of(failAt()).code())
                .isNotEqualTo(UnexpectedError.of(new NullPointerException()).code());
    }

    private static IllegalStateException failAt() {
        return new IllegalStateException("a bug");
    }
}
