package io.github.lambdaimageprocessor.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover drill, where both regions are healthy and the primary (us-east-1) is active: the mirror of
 * {@link FailbackWindowTest}. Flipping the standby first, as in an outage, makes it active while the primary's warm
 * instances still process for up to {@code refresh}; so a drill flips the active region first and waits.
 */
class FailoverDrillWindowTest {

    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository table = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private final AtomicReference<String> primarySwitch = new AtomicReference<>("us-east-1");

    private final AtomicReference<String> standbySwitch = new AtomicReference<>("us-east-1");

    private final ImageProcessor primary = region("us-east-1", "eu-west-1", primarySwitch);

    private final ImageProcessor standby = region("eu-west-1", "us-east-1", standbySwitch);

    private ImageProcessor region(String thisRegion, String peer, AtomicReference<String> theSwitch) {
        return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), table, notifier,
                new OutputLocation("thumbnails-" + thisRegion, "thumbnails/"), 50_000_000, clock,
                StandbyGate.on(thisRegion, peer, new CachedActiveRegion(theSwitch::get, REFRESH, clock)));
    }

    @Test
    void flippingTheStandbyFirstAndThePrimaryAtOnceLeavesBothProcessingForUpToRefresh() {
        primaryIsWarmAndActive();

        standbySwitch.set("eu-west-1");
        clock.advance(Duration.ofSeconds(1));
        primarySwitch.set("eu-west-1");

        assertThat(uploadToThePrimaryAndReplicate(Duration.ofSeconds(5), "photo.jpg"))
            .as("processed, recorded and notified in both regions").hasSize(2);
    }

    @Test
    void flippingThePrimaryFirstAndWaitingOutRefreshNotifiesOnce() {
        primaryIsWarmAndActive();

        primarySwitch.set("eu-west-1");
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(uploadToThePrimaryAndReplicate(Duration.ofSeconds(30), "photo.jpg")).hasSize(1);
        standbySwitch.set("eu-west-1");
        clock.advance(REFRESH);

        assertThat(uploadToThePrimaryAndReplicate(Duration.ofSeconds(5), "after.jpg"))
            .as("the primary stands by, the standby processes the replica").hasSize(1)
            .allSatisfy(notified -> assertThat(notified.source().bucket()).isEqualTo("uploads-eu-west-1"));
    }

    /** An instance of the primary's function that has read its switch just now. */
    private void primaryIsWarmAndActive() {
        ObjectRef earlier = new ObjectRef("uploads-us-east-1", "earlier.jpg");
        store.write(earlier, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        assertThat(primary.process(new UploadEvent(earlier, 1L, new ObjectVersion("v0", null, "01"), "r0")).status())
            .isEqualTo(Status.PROCESSED);
        notifier.notifications().clear();
    }

    /** An upload to the primary's bucket (the uploaders still send there), then its replica's event in the standby. */
    private List<ProcessedImage> uploadToThePrimaryAndReplicate(Duration replicationLag, String key) {
        ObjectRef upload = new ObjectRef("uploads-us-east-1", key);
        ObjectRef replica = new ObjectRef("uploads-eu-west-1", key);
        store.write(upload, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        primary.process(new UploadEvent(upload, 1L, new ObjectVersion(key + "-v1", null, "02"), "r1"));
        clock.advance(replicationLag);
        store.write(replica, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        standby.process(new UploadEvent(replica, 1L, new ObjectVersion(key + "-v1", null, "03"), "r2"));
        return notifier.notifications().stream().filter(image -> image.source().key().equals(key)).toList();
    }
}
