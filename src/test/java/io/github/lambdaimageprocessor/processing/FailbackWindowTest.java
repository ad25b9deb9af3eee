package io.github.lambdaimageprocessor.processing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fail back as docs/multi-region.md describes it: the region that is active (eu-west-1) is flipped first, then the
 * primary. Each warm instance trusts what it read from its region's switch for {@code refresh} (30 s), so the order of
 * the two flips alone does not keep both regions from processing: only a wait of {@code refresh} (plus the replication
 * lag of what the old active region processed meanwhile) between them does.
 */
class FailbackWindowTest {

    /** Failed over: both switches name eu-west-1. */
    private final RegionPair pair = new RegionPair(RegionPair.STANDBY);

    @Test
    void flippingTheActiveRegionFirstAndThePrimaryAtOnceLeavesBothProcessingForUpToRefresh() {
        pair.activeIsWarm(RegionPair.STANDBY);

        pair.standbySwitch.set("us-east-1");
        pair.clock.advance(Duration.ofSeconds(1));
        pair.primarySwitch.set("us-east-1");

        assertThat(pair.uploadAndReplicate(RegionPair.STANDBY, Duration.ofSeconds(5), "photo.jpg"))
            .as("processed, recorded and notified in both regions").hasSize(2);
    }

    @Test
    void waitingRefreshAndTheReplicationLagBetweenTheFlipsNotifiesOnce() {
        pair.activeIsWarm(RegionPair.STANDBY);

        pair.standbySwitch.set("us-east-1");
        // an upload the standby still processes from what it read before the flip, replicated after the wait
        pair.clock.advance(RegionPair.REFRESH.minusSeconds(1));
        assertThat(pair.uploadAndReplicate(RegionPair.STANDBY, Duration.ofSeconds(30), "photo.jpg")).hasSize(1);
        pair.primarySwitch.set("us-east-1");
        // uploads in the next refresh may be skipped in both regions: the backfill in the primary makes them
        pair.clock.advance(RegionPair.REFRESH);

        assertThat(pair.uploadAndReplicate(RegionPair.STANDBY, Duration.ofSeconds(5), "after.jpg"))
            .as("the standby stands by, the primary processes the replica").hasSize(1)
            .allSatisfy(notified -> assertThat(notified.source().bucket()).isEqualTo("uploads-us-east-1"));
    }
}
