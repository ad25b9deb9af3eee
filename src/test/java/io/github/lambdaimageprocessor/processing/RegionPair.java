package io.github.lambdaimageprocessor.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two regions of a pair (docs/multi-region.md), the primary us-east-1 and the standby eu-west-1, over one global
 * table and both topics, each gated by its own region's switch, which each warm instance trusts for {@link #REFRESH}.
 */
final class RegionPair {

    static final Duration REFRESH = Duration.ofSeconds(30);

    static final String PRIMARY = "us-east-1";

    static final String STANDBY = "eu-west-1";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    final InMemoryImageStore store = new InMemoryImageStore();

    /** The global table: one for both regions. */
    final InMemoryMetadataRepository table = new InMemoryMetadataRepository();

    /** Both regions' topics. */
    final RecordingNotifier notifier = new RecordingNotifier();

    final AtomicReference<String> primarySwitch;

    final AtomicReference<String> standbySwitch;

    final ImageProcessor primary;

    final ImageProcessor standby;

    /** Both switches naming {@code active}. */
    RegionPair(String active) {
        primarySwitch = new AtomicReference<>(active);
        standbySwitch = new AtomicReference<>(active);
        primary = region(PRIMARY, STANDBY, primarySwitch);
        standby = region(STANDBY, PRIMARY, standbySwitch);
    }

    private ImageProcessor region(String thisRegion, String peer, AtomicReference<String> theSwitch) {
        return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), table, notifier,
                new OutputLocation("thumbnails-" + thisRegion, "thumbnails/"), 50_000_000, clock,
                StandbyGate.on(thisRegion, peer, new CachedActiveRegion(theSwitch::get, REFRESH, clock)));
    }

    /** An instance of the active region's function that has read its switch just now. */
    void activeIsWarm(String active) {
        ObjectRef earlier = new ObjectRef("uploads-" + active, "earlier.jpg");
        store.write(earlier, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        assertThat(processorOf(active).process(new UploadEvent(earlier, 1L, new ObjectVersion("v0", null, "01"), "r0"))
            .status()).isEqualTo(Status.PROCESSED);
        notifier.notifications().clear();
    }

    /**
     * An upload to {@code region}'s bucket (where the uploaders send), processed there, then, {@code replicationLag}
     * later, its replica's event in the other region; the notifications sent for the key.
     */
    List<ProcessedImage> uploadAndReplicate(String region, Duration replicationLag, String key) {
        String other = region.equals(PRIMARY) ? STANDBY : PRIMARY;
        ObjectRef upload = new ObjectRef("uploads-" + region, key);
        ObjectRef replica = new ObjectRef("uploads-" + other, key);
        store.write(upload, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        processorOf(region).process(new UploadEvent(upload, 1L, new ObjectVersion(key + "-v1", null, "02"), "r1"));
        clock.advance(replicationLag);
        store.write(replica, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        processorOf(other).process(new UploadEvent(replica, 1L, new ObjectVersion(key + "-v1", null, "03"), "r2"));
        return notifier.notifications().stream().filter(image -> image.source().key().equals(key)).toList();
    }

    private ImageProcessor processorOf(String region) {
        return region.equals(PRIMARY) ? primary : standby;
    }
}
