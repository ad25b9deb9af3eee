package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The use case behind the standby gate of a two-region deployment. */
class ImageProcessorStandbyTest {

    private static final ObjectRef SOURCE = new ObjectRef("uploads", "photos/beach.jpg");

    private static final UploadEvent EVENT = new UploadEvent(SOURCE, 1234L,
            new ObjectVersion("v1", "etag-1", "0055AED6DCD90281E5"), "req-1");

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private ImageProcessor processor(ImageStore imageStore, MetadataRepository repository, StandbyGate gate) {
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), repository, notifier,
                new OutputLocation("processed", "thumbnails/"), 50_000_000,
                Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC), gate);
    }

    private static StandbyGate gateIn(String thisRegion, String active) {
        return StandbyGate.on(thisRegion, thisRegion.equals("us-east-1") ? "eu-west-1" : "us-east-1", () -> active);
    }

    /** A store and a repository that fail the test on any call: the standby must not touch them. */
    private static final ImageStore UNTOUCHABLE_STORE = new ImageStore() {
        @Override
        public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
            throw new AssertionError("the standby read " + ref);
        }

        @Override
        public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
            throw new AssertionError("the standby wrote " + ref);
        }
    };

    private static final MetadataRepository UNTOUCHABLE_RECORDS = new MetadataRepository() {
        @Override
        public boolean save(ProcessedImage image) {
            throw new AssertionError("the standby saved a record");
        }

        @Override
        public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
            throw new AssertionError("the standby marked a record");
        }

        @Override
        public Optional<ProcessedImage> find(ObjectRef source) {
            throw new AssertionError("the standby looked up a record");
        }

        @Override
        public boolean replace(ProcessedImage image, ProcessedImage expected) {
            throw new AssertionError("the standby replaced a record");
        }

        @Override
        public boolean release(ProcessedImage claim, Instant lapsedAt) {
            throw new AssertionError("the standby gave a claim back");
        }

        @Override
        public Page<ProcessedImage> findRecent(int limit, String cursor) {
            throw new AssertionError("the standby listed records");
        }
    };

    @Test
    void theStandbySkipsAnUploadWithoutReadingWritingOrNotifying() {
        ProcessedImage result = processor(UNTOUCHABLE_STORE, UNTOUCHABLE_RECORDS, gateIn("eu-west-1", "us-east-1"))
            .process(EVENT);

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).startsWith("this region (eu-west-1) is the standby")
            .contains("names us-east-1 as the active region");
        assertThat(result.event()).isEqualTo(EVENT.info());
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void theStandbyBackfillsNothing() {
        ImageProcessor standby = processor(UNTOUCHABLE_STORE, UNTOUCHABLE_RECORDS, gateIn("eu-west-1", "us-east-1"));

        BackfillResult result = standby.backfill(ListedObject.of(SOURCE), true, true);

        assertThat(result.kind()).isEqualTo(BackfillResult.Kind.STANDBY);
        assertThat(result.reason()).startsWith("this region (eu-west-1) is the standby");
        assertThat(standby.standbyReason()).contains(result.reason());
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void theActiveRegionBackfillsAsUsual() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ImageProcessor active = processor(store, metadata, gateIn("us-east-1", "us-east-1"));

        BackfillResult result = active.backfill(ListedObject.of(SOURCE), false, false);

        assertThat(result.kind()).isEqualTo(BackfillResult.Kind.PROCESSED);
        assertThat(active.standbyReason()).isEmpty();
    }

    @Test
    void theActiveRegionProcessesAsUsual() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        ProcessedImage result = processor(store, metadata, gateIn("us-east-1", "us-east-1")).process(EVENT);

        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(metadata.find(SOURCE)).isPresent();
        assertThat(store.objects()).containsKey(new ObjectRef("processed", "thumbnails/photos/beach.jpg"));
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aReplicaTheStandbySkippedIsMadeThereAfterAFailoverWhateverThePrimaryRecordedInTheSharedTable() {
        // one table for both regions (the global table); each region's bucket, so each region's record of one upload
        ObjectRef replica = new ObjectRef("uploads-eu", SOURCE.key());
        UploadEvent replicaEvent = new UploadEvent(replica, 1234L,
                new ObjectVersion("v1", "etag-1", "0066AED6DCD90281E5"), "req-eu");
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(replica, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        MutableActive active = new MutableActive("us-east-1");
        ImageProcessor primary = processor(store, metadata, StandbyGate.on("us-east-1", "eu-west-1", active));
        ImageProcessor standby = processor(store, metadata, StandbyGate.on("eu-west-1", "us-east-1", active));

        assertThat(primary.process(EVENT).status()).isEqualTo(Status.PROCESSED);
        assertThat(standby.process(replicaEvent).status()).isEqualTo(Status.SKIPPED);
        assertThat(metadata.find(replica)).as("a skip leaves no record to be taken for a duplicate").isEmpty();

        active.region = "eu-west-1";

        // the backfill after a failover, and a redelivery of the replica's event, both make it
        assertThat(standby.backfill(ListedObject.of(replica), false, false).kind())
            .isEqualTo(BackfillResult.Kind.PROCESSED);
        assertThat(metadata.find(replica)).isPresent();
        assertThat(metadata.find(SOURCE)).as("the primary's record stands").isPresent();
        assertThat(primary.process(EVENT).status()).as("the old primary, flipped too, stands by")
            .isEqualTo(Status.SKIPPED);
    }

    /** The switch, flipped by the test. */
    private static final class MutableActive implements ActiveRegion {

        private String region;

        MutableActive(String region) {
            this.region = region;
        }

        @Override
        public String current() {
            return region;
        }
    }

    @Test
    void anUnreadableSwitchFailsTheEventSoItIsRetriedAndNothingIsRecorded() {
        StandbyGate unreadable = StandbyGate.on("us-east-1", "eu-west-1", () -> {
            throw new ActiveRegionUnavailableException("Failed to read SSM parameter /x (AccessDeniedException)");
        });

        assertThatExceptionOfType(ActiveRegionUnavailableException.class)
            .isThrownBy(() -> processor(UNTOUCHABLE_STORE, UNTOUCHABLE_RECORDS, unreadable).process(EVENT))
            .withMessageContaining("AccessDeniedException");
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void ourOwnOutputIsSkippedWithoutAskingTheSwitch() {
        StandbyGate mustNotBeAsked = StandbyGate.on("us-east-1", "eu-west-1", () -> {
            throw new AssertionError("the switch was read for one of our own outputs");
        });

        ProcessedImage result = processor(UNTOUCHABLE_STORE, UNTOUCHABLE_RECORDS, mustNotBeAsked)
            .process(UploadEvent.of(new ObjectRef("processed", "thumbnails/photos/beach.jpg")));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
    }
}
