package io.keyshift.core.migrate;

import io.keyshift.core.KeyShiftException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlongsideTest {

    @Test
    void combinesBothResultsWhileTheOtherRunsOnItsOwnThread() {
        String result = Alongside.run(() -> Thread.currentThread().getName(), () -> Thread.currentThread().getName(),
                (other, here) -> other + " / " + here);

        assertThat(result).isEqualTo("keyshift-alongside / " + Thread.currentThread().getName());
    }

    @Test
    void theOtherStepsFailureIsThrownAsItWas() {
        KeyShiftException refused = new KeyShiftException("the KMS refused");

        assertThatThrownBy(() -> Alongside.run(() -> {
            throw refused;
        }, () -> "read", (other, here) -> here)).isSameAs(refused);
    }

    @Test
    void whenThisStepFailsTheOtherIsWaitedForBeforeTheFailureIsThrown() {
        CountDownLatch otherStarted = new CountDownLatch(1);
        CountDownLatch hereFailed = new CountDownLatch(1);
        AtomicBoolean otherFinished = new AtomicBoolean();
        KeyShiftException unreachable = new KeyShiftException("the cluster could not be reached");

        assertThatThrownBy(() -> Alongside.run(() -> {
            otherStarted.countDown();
            awaitUninterruptibly(hereFailed);
            otherFinished.set(true);
            return "checked";
        }, () -> {
            awaitUninterruptibly(otherStarted);
            hereFailed.countDown();
            throw unreachable;
        }, (other, here) -> here)).isSameAs(unreachable);
        assertThat(otherFinished).isTrue();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
