package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.BackfillResult.Kind;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ImageProcessor#backfill}: the objects already in a bucket, with in-memory fakes. */
class BackfillTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static final ObjectRef PHOTO = new ObjectRef("uploads", "albums/2026/camera.jpg");

    private static final ObjectRef THUMBNAIL = new ObjectRef("processed", "thumbnails/albums/2026/camera.jpg");

    private static final ThumbnailSettings SMALLER = new ThumbnailSettings(128, 128, 0.85f, 1);

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private Instant now = NOW;

    private ImageProcessor processor(ImageStore imageStore, ThumbnailSettings settings) {
        ThumbnailSpec spec = new ThumbnailSpec(new Dimensions(settings.width(), settings.height()), settings.quality(),
                DefaultSettings.THUMBNAIL_SPEC.maxPixels(), DefaultSettings.THUMBNAIL_SPEC.maxDecodedPixels(),
                DefaultSettings.THUMBNAIL_SPEC.timeLimit());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                // every decision a microsecond later, so two records of one object never share processedAt
                now = now.plusNanos(1000);
                return now;
            }
        };
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(spec), metadata, notifier,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock, settings);
    }

    private ImageProcessor processor() {
        return processor(store, ImageProcessor.DEFAULT_SETTINGS);
    }

    private ListedObject listed(ObjectRef ref) {
        return store.list(ref.bucket(), ref.key()).filter(o -> o.ref().equals(ref)).findFirst().orElseThrow();
    }

    @Test
    void makesTheThumbnailOfAnUnrecordedObjectAndRecordsTheSettingsWithoutNotifying() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listed(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(store.read(THUMBNAIL)).isPresent();
        ProcessedImage record = metadata.find(PHOTO).orElseThrow();
        assertThat(record.settings()).isEqualTo(ImageProcessor.DEFAULT_SETTINGS);
        assertThat(record.event().version().eTag()).isEqualTo(listed(PHOTO).eTag());
        assertThat(record.notifiedAt()).isNull();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void notifiesWhenAsked() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listed(PHOTO), false, true);

        assertThat(notifier.notifications()).hasSize(1);
        assertThat(result.image().notifiedAt()).isNotNull();
        assertThat(metadata.find(PHOTO).orElseThrow().notifiedAt()).isNotNull();
    }

    @Test
    void aSecondRunFindsItUpToDateAndWritesNothing() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();
        StoredObject firstThumbnail = store.read(THUMBNAIL).orElseThrow();

        BackfillResult second = processor().backfill(listed(PHOTO), false, false);

        assertThat(second.kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(metadata.find(PHOTO)).contains(first);
        assertThat(store.read(THUMBNAIL).orElseThrow()).isSameAs(firstThumbnail);
    }

    @Test
    void anUnknownETagIsLearnedFromTheReadBeforeResizing() {
        // an S3 Batch task names key and version only
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(ListedObject.of(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();

        BackfillResult second = processor().backfill(ListedObject.of(PHOTO), false, false);

        assertThat(second.kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(metadata.find(PHOTO)).contains(first);
    }

    @Test
    void forceRemakesAnUpToDateObject() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();

        BackfillResult forced = processor().backfill(listed(PHOTO), true, false);

        assertThat(forced.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().processedAt()).isAfter(first.processedAt());
    }

    @Test
    void afterASettingsChangeTheStaleRecordIsRemadeWithTheNewSettings() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);

        BackfillResult result = processor(store, SMALLER).backfill(listed(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(result.image().output().width()).isEqualTo(128);
        assertThat(metadata.find(PHOTO).orElseThrow().settings()).isEqualTo(SMALLER);
        assertThat(TestImages.decode(store.read(THUMBNAIL).orElseThrow().content()).getWidth()).isEqualTo(128);
    }

    @Test
    void aRecordWithoutSettingsFromAnOlderReleaseIsStale() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        metadata.records().computeIfPresent(PHOTO, (ref, record) -> record.withSettings(null));

        assertThat(processor().backfill(listed(PHOTO), false, false).kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().settings()).isEqualTo(ImageProcessor.DEFAULT_SETTINGS);
    }

    @Test
    void remakingAnEventsRecordKeepsItsIdentitySoARepeatedEventStillSkips() {
        // given an upload processed by its S3 event with the old settings
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        String eTag = listed(PHOTO).eTag();
        UploadEvent event = new UploadEvent(PHOTO, null, new ObjectVersion(null, eTag, "0A1B2C3D4E5F678901"), null);
        ProcessedImage byEvent = processor().process(event);
        assertThat(notifier.notifications()).hasSize(1);

        // when the settings change and the backfill runs
        BackfillResult result = processor(store, SMALLER).backfill(listed(PHOTO), false, false);

        // then the record is remade, still for the event's version and still notified (no second notification) ...
        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        ProcessedImage remade = metadata.find(PHOTO).orElseThrow();
        assertThat(remade.settings()).isEqualTo(SMALLER);
        assertThat(remade.event()).isEqualTo(byEvent.event());
        assertThat(remade.notifiedAt()).isEqualTo(byEvent.notifiedAt());
        assertThat(notifier.notifications()).hasSize(1);
        // ... so a late redelivery of the event is a duplicate, whatever the settings
        ProcessedImage redelivered = processor().process(event);
        assertThat(redelivered.status()).isEqualTo(Status.SKIPPED);
        assertThat(redelivered.reason()).startsWith("already processed");
        assertThat(metadata.find(PHOTO)).contains(remade);
    }

    @Test
    void theEventPathSkipsARepeatedDeliveryEvenWhenTheRecordsSettingsAreStale() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null, new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null);
        ProcessedImage first = processor().process(event);

        ProcessedImage repeated = processor(store, SMALLER).process(event);

        assertThat(repeated.status()).isEqualTo(Status.SKIPPED);
        assertThat(metadata.find(PHOTO)).contains(first);
    }

    @Test
    void aBadFileIsRejectedAndRecordedSoTheNextRunSkipsIt() {
        ObjectRef notes = new ObjectRef("uploads", "notes.jpg");
        store.write(notes, "not a picture".getBytes(), "image/jpeg", Map.of());

        BackfillResult first = processor().backfill(listed(notes), false, false);
        BackfillResult second = processor().backfill(listed(notes), false, false);

        assertThat(first.kind()).isEqualTo(Kind.REJECTED);
        assertThat(first.reason()).contains("not a JPEG");
        assertThat(metadata.find(notes).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(second.kind()).isEqualTo(Kind.UP_TO_DATE);
    }

    @Test
    void aMissingObjectAThumbnailAndAnArchivedObjectWriteNothing() {
        ImageStore archive = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new ObjectArchivedException(ref, "The operation is not valid for the object's storage class");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("nothing may be written");
            }
        };

        BackfillResult missing = processor().backfill(ListedObject.of(new ObjectRef("uploads", "gone.jpg")), false,
                false);
        BackfillResult thumbnail = processor().backfill(ListedObject.of(THUMBNAIL), false, false);
        BackfillResult archived = processor(archive, ImageProcessor.DEFAULT_SETTINGS)
            .backfill(ListedObject.of(PHOTO), false, false);

        assertThat(missing.kind()).isEqualTo(Kind.MISSING);
        assertThat(thumbnail.kind()).isEqualTo(Kind.NOT_AN_UPLOAD);
        assertThat(archived.kind()).isEqualTo(Kind.ARCHIVED);
        assertThat(archived.reason()).contains("restored");
        assertThat(metadata.records()).isEmpty();
    }

    @Test
    void anUploadStraightIntoAnArchiveClassIsRejectedByItsEventAndMadeByABackfillAfterTheRestore() {
        ImageStore archive = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new ObjectArchivedException(ref, "The operation is not valid for the object's storage class");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("nothing may be written");
            }
        };

        ProcessedImage result = processor(archive, ImageProcessor.DEFAULT_SETTINGS)
            .process(new UploadEvent(PHOTO, null, new ObjectVersion(null, "etag", "0A"), null));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).contains("archived").contains("must be restored");
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.REJECTED);

        // when: restored (readable again), then backfilled without --force
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        BackfillResult backfilled = processor(store, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false,
                false);

        // then: the archived rejection did not count as up to date
        assertThat(backfilled.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.PROCESSED);
    }

    @Test
    void aRecordAnUploadEventSavesMeanwhileStands() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ProcessedImage byEvent = ProcessedImage.processed(ImageObject.unread(PHOTO),
                ImageObject.unread(THUMBNAIL), NOW.minusSeconds(1));
        // an event's record lands between the backfill's look-up and its save
        ImageStore racing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                metadata.save(byEvent);
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("the thumbnail is the event's to write");
            }
        };

        BackfillResult result = processor(racing, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false,
                false);

        assertThat(result.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(metadata.find(PHOTO)).contains(byEvent);
    }
}
