package io.keyshift.core.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterProbeVersionTest {

    @Test
    void versionsBelow42LackClientSideFieldLevelEncryption() {
        assertThat(ClusterProbe.isBelow42("4.0.28")).isTrue();
        assertThat(ClusterProbe.isBelow42("3.6")).isTrue();
        assertThat(ClusterProbe.isBelow42("4.2.0")).isFalse();
        assertThat(ClusterProbe.isBelow42("7.0.42")).isFalse();
        assertThat(ClusterProbe.isBelow42("unknown")).isFalse();
    }
}
