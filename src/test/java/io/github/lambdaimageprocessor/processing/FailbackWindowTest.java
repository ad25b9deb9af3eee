package io.github.lambdaimageprocessor.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fail back as docs/multi-region.md describes it: the region that is active (eu-west-1) is flipped first, then the
 * primary. Each warm instance trusts what it read from its region's switch for {@code refresh} (30 s), so the order of
 * the two flips alone does not keep both regions from processing: only a wait of {@code refresh} (plus the replication
 * lag of what the old active region processed meanwhile) between them does.
 */
class FailbackWindowTest {

    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    private final InMemoryImageStore store = new InMemoryImageStore();

    /** The global table: one for both regions. */
    private final InMemoryMetadataRepository table = new InMemoryMetadataRepository();

    /** Both regions' topics. */
    private final RecordingNotifier notifier = new RecordingNotifier();

    /** Failed over: both switches name eu-west-1. */
    private final AtomicReference<String> primarySwitch = new AtomicReference<>("eu-west-1");

    private final AtomicReference<String> standbySwitch = new AtomicReference<>("eu-west-1");

    private final ImageProcessor primary = region("us-east-1", "eu-west-1", primarySwitch);

    private final ImageProcessor standby = region("eu-west-1", "us-east-1", standbySwitch);

    private ImageProcessor region(String thisRegion, String peer, AtomicReference<String> theSwitch) {
        return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), table, notifier,
                new OutputLocation("thumbnails-" + thisRegion, "thumbnails/"), 50_000_000, clock,
                StandbyGate.on(thisRegion, peer, new CachedActiveRegion(theSwitch::get, REFRESH, clock)));
    }

    @Test
    void flippingTheActiveRegionFirstAndThePrimaryAtOnceLeavesBothProcessingForUpToRefresh() {
        standbyIsWarmAndActive();

        standbySwitch.set("us-east-1");
        clock.advance(Duration.ofSeconds(1));
        primarySwitch.set("us-east-1");

        assertThat(uploadToTheStandbyAndReplicate(Duration.ofSeconds(5)))
            .as("processed, recorded and notified in both regions").hasSize(2);
    }

    @Test
    void waitingRefreshAndTheReplicationLagBetweenTheFlipsNotifiesOnce() {
        standbyIsWarmAndActive();

        standbySwitch.set("us-east-1");
        // an upload the standby still processes from what it read before the flip, replicated after the wait
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(uploadToTheStandbyAndReplicate(Duration.ofSeconds(30))).hasSize(1);
        primarySwitch.set("us-east-1");
        // uploads in the next refresh may be skipped in both regions: the backfill in the primary makes them
        clock.advance(REFRESH);

        assertThat(uploadToTheStandbyAndReplicate(Duration.ofSeconds(5), "after.jpg"))
            .as("the standby stands by, the primary processes the replica").hasSize(1)
            .allSatisfy(notified -> assertThat(notified.source().bucket()).isEqualTo("uploads-us-east-1"));
    }

    /** An instance of the active region's function that has read its switch just now. */
    private void standbyIsWarmAndActive() {
        ObjectRef earlier = new ObjectRef("uploads-eu-west-1", "earlier.jpg");
        store.write(earlier, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        assertThat(standby.process(new UploadEvent(earlier, 1L, new ObjectVersion("v0", null, "01"), "r0")).status())
            .isEqualTo(Status.PROCESSED);
        notifier.notifications().clear();
    }

    private java.util.List<ProcessedImage> uploadToTheStandbyAndReplicate(Duration replicationLag) {
        return uploadToTheStandbyAndReplicate(replicationLag, "photo.jpg");
    }

    /** An upload to the standby's bucket (the uploaders are pointed back after the flips), then its replica's event. */
    private java.util.List<ProcessedImage> uploadToTheStandbyAndReplicate(Duration replicationLag, String key) {
        ObjectRef upload = new ObjectRef("uploads-eu-west-1", key);
        ObjectRef replica = new ObjectRef("uploads-us-east-1", key);
        store.write(upload, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        standby.process(new UploadEvent(upload, 1L, new ObjectVersion(key + "-v1", null, "02"), "r1"));
        clock.advance(replicationLag);
        store.write(replica, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        primary.process(new UploadEvent(replica, 1L, new ObjectVersion(key + "-v1", null, "03"), "r2"));
        return notifier.notifications().stream().filter(image -> image.source().key().equals(key)).toList();
    }
}
