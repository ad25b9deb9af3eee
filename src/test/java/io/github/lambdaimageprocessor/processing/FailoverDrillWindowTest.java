package io.github.lambdaimageprocessor.processing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover drill, where both regions are healthy and the primary (us-east-1) is active: the mirror of
 * {@link FailbackWindowTest}. Flipping the standby first, as in an outage, makes it active while the primary's warm
 * instances still process for up to {@code refresh}; so a drill flips the active region first and waits.
 */
class FailoverDrillWindowTest {

    private final RegionPair pair = new RegionPair(RegionPair.PRIMARY);

    @Test
    void flippingTheStandbyFirstAndThePrimaryAtOnceLeavesBothProcessingForUpToRefresh() {
        pair.activeIsWarm(RegionPair.PRIMARY);

        pair.standbySwitch.set("eu-west-1");
        pair.clock.advance(Duration.ofSeconds(1));
        pair.primarySwitch.set("eu-west-1");

        assertThat(pair.uploadAndReplicate(RegionPair.PRIMARY, Duration.ofSeconds(5), "photo.jpg"))
            .as("processed, recorded and notified in both regions").hasSize(2);
    }

    @Test
    void flippingThePrimaryFirstAndWaitingOutRefreshNotifiesOnce() {
        pair.activeIsWarm(RegionPair.PRIMARY);

        pair.primarySwitch.set("eu-west-1");
        pair.clock.advance(RegionPair.REFRESH.minusSeconds(1));
        assertThat(pair.uploadAndReplicate(RegionPair.PRIMARY, Duration.ofSeconds(30), "photo.jpg")).hasSize(1);
        pair.standbySwitch.set("eu-west-1");
        pair.clock.advance(RegionPair.REFRESH);

        assertThat(pair.uploadAndReplicate(RegionPair.PRIMARY, Duration.ofSeconds(5), "after.jpg"))
            .as("the primary stands by, the standby processes the replica").hasSize(1)
            .allSatisfy(notified -> assertThat(notified.source().bucket()).isEqualTo("uploads-eu-west-1"));
    }
}
