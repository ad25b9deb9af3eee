package io.github.lambdaimageprocessor.processing;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ImageProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    private static final ObjectRef SOURCE = new ObjectRef("uploads", "photos/my photo(1).jpg");

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private final MutableClock clock = new MutableClock(NOW);

    private final ImageProcessor processor = processor(store, 50_000_000);

    private ImageProcessor processor(ImageStore imageStore, long maxInputBytes) {
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata,
                notifier, new OutputLocation("processed", "thumbnails/"), maxInputBytes, clock);
    }

    @Test
    void recordsTheOrientationAppliedAndTheSourceColourSpace() {
        // given a CMYK photo stored sideways (EXIF orientation 6)
        store.write(SOURCE, TestImages.bytes("orientation/thumbor-cmyk-orientation-6.jpg"), "image/jpeg", Map.of());

        // when
        ProcessedImage result = processor.process(UploadEvent.of(SOURCE));

        // then the source is reported as displayed (upright), with what was done
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.source().width()).isEqualTo(533);
        assertThat(result.source().height()).isEqualTo(800);
        assertThat(result.orientation()).isEqualTo(6);
        assertThat(result.colorSpace()).isEqualTo("YCCK");
        assertThat(metadata.find(SOURCE)).contains(result);
    }

    @Test
    void anArchivedObjectIsRejectedSayingItNeedsARestoreNotRetried() {
        ImageStore archived = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new ObjectArchivedException(ref, "DEEP_ARCHIVE");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }

            @Override
            public void delete(ObjectRef ref) {
                store.delete(ref);
            }
        };

        ProcessedImage result = processor(archived, 50_000_000).process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("object is archived in storage class DEEP_ARCHIVE and must be restored "
                + "(S3 RestoreObject) before it can be read");
        assertThat(metadata.find(SOURCE)).hasValueSatisfying(
                record -> assertThat(record.status()).isEqualTo(Status.REJECTED));
        assertThat(notifier.notifications()).singleElement()
            .satisfies(notification -> assertThat(notification.reason()).contains("DEEP_ARCHIVE"));
    }

    @Test
    void writesTheThumbnailRecordsAndNotifies() {
        // given
        byte[] photo = TestImages.bytes(TestImages.PHOTO);
        store.write(SOURCE, photo, "image/jpeg", Map.of());

        // when
        ProcessedImage result = processor.process(UploadEvent.of(SOURCE));

        // then
        ObjectRef thumbnailRef = new ObjectRef("processed", "thumbnails/photos/my photo(1).jpg");
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.reason()).isNull();
        assertThat(result.processedAt()).isEqualTo(NOW);
        assertThat(result.source())
            .isEqualTo(new ImageObject("uploads", "photos/my photo(1).jpg", 2725, 2225, (long) photo.length,
                    "image/jpeg"));
        StoredObject thumbnail = store.read(thumbnailRef).orElseThrow();
        assertThat(result.output())
            .isEqualTo(new ImageObject("processed", thumbnailRef.key(), 256, 209, (long) thumbnail.content().length,
                    "image/jpeg"));
        assertThat(result.orientation()).isEqualTo(1);
        assertThat(result.colorSpace()).isEqualTo("YCbCr");
        assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
        assertThat(thumbnail.metadata()).containsAllEntriesOf(ImageProcessor.OUTPUT_MARKER);
        assertThat(metadata.find(SOURCE)).contains(result);
        assertThat(notifier.notifications()).containsExactly(result.withNotifiedAt(null));
    }

    /**
     * S3 puts the eTag in every object-created event; one without (made by hand, as the README's sample with its eTag
     * left out) names its version by the object's eTag in the store, so a second delivery of it is a repeat, not a
     * second thumbnail, record and notification.
     */
    @Test
    void anEventWithoutAnETagTakesTheStoredObjectsSoItsSecondDeliveryIsARepeat() {
        String eTag = store.write(SOURCE, TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());
        UploadEvent withoutETag = new UploadEvent(SOURCE, null, new ObjectVersion(null, null, "0a"), null);

        ProcessedImage first = processor.process(withoutETag);
        ProcessedImage second = processor.process(withoutETag);

        assertThat(first.status()).isEqualTo(Status.PROCESSED);
        assertThat(metadata.find(SOURCE).orElseThrow().version()).isEqualTo(new ObjectVersion(null, eTag, "0a"));
        assertThat(second.status()).isEqualTo(Status.SKIPPED);
        assertThat(second.reason()).startsWith("already processed");
        assertThat(notifier.notifications()).hasSize(1);
    }

    /** Replaced between the store's answer and the read: the later bytes are their own upload's, as for any event. */
    @Test
    void anEventWithoutAnETagWhoseObjectIsReplacedBeforeItIsReadIsSkippedAsOverwritten() {
        store.write(SOURCE, TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());
        ImageStore replacedAfterTheLookUp = new ImageStore() {
            @Override
            public Optional<String> eTagOf(ObjectRef ref, String versionId) {
                Optional<String> eTag = store.eTagOf(ref, versionId);
                store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
                return eTag;
            }

            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }
        };

        ProcessedImage result = processor(replacedAfterTheLookUp, 50_000_000)
            .process(new UploadEvent(SOURCE, null, new ObjectVersion(null, null, "0a"), null));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).startsWith("overwritten before it could be read");
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void theBytesJustStoredAreProcessedWithoutReadingTheUploadBack() {
        // given an upload stored by the caller, which still holds its bytes
        byte[] photo = TestImages.bytes(TestImages.PHOTO);
        String eTag = store.write(SOURCE, photo, "image/jpeg", Map.of());
        List<ObjectRef> reads = new java.util.ArrayList<>();
        ImageStore recordingReads = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                reads.add(ref);
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }
        };
        UploadEvent event = new UploadEvent(SOURCE, (long) photo.length, new ObjectVersion(null, eTag, "0a"), null);

        // when
        ProcessedImage result = processor(recordingReads, 50_000_000).process(event,
                new StoredObject(photo, "image/jpeg", Map.of(), eTag));

        // then it is processed as if read, and the upload was not read again
        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.source()).isEqualTo(new ImageObject("uploads", SOURCE.key(), 2725, 2225,
                (long) photo.length, "image/jpeg"));
        assertThat(store.read(new ObjectRef("processed", "thumbnails/photos/my photo(1).jpg"))).isPresent();
        assertThat(metadata.find(SOURCE)).contains(result);
        assertThat(reads).doesNotContain(SOURCE);
    }

    @Test
    void bytesInHandOfAnotherVersionThanTheEventNamesAreRefused() {
        byte[] photo = TestImages.bytes(TestImages.PHOTO);
        UploadEvent event = new UploadEvent(SOURCE, (long) photo.length,
                new ObjectVersion(null, "0123456789abcdef0123456789abcdef", "0a"), null);
        StoredObject otherVersion = new StoredObject(photo, "image/jpeg", Map.of(), "fedcba9876543210fedcba9876543210");

        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> processor.process(event, otherVersion))
            .withMessageContaining("not the version the event names");
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void aRepeatedEventOverwritesTheSameThumbnailAndRecord() {
        store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        processor.process(UploadEvent.of(SOURCE));
        processor.process(UploadEvent.of(SOURCE));

        assertThat(store.objects().keySet()).filteredOn(ref -> ref.bucket().equals("processed")).hasSize(1);
        assertThat(metadata.records()).hasSize(1);
    }

    /** A store whose reads throw what {@code failure} makes, and that must never be written. */
    private static ImageStore readFailing(java.util.function.Function<ObjectRef, RuntimeException> failure) {
        return new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw failure.apply(ref);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new AssertionError("must not write");
            }

            @Override
            public void delete(ObjectRef ref) {
                // it holds no thumbnail to remove
            }
        };
    }

    /** What a test's store does on a write; reads go to the in-memory store. */
    private interface Write {
        void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta);
    }

    private ImageStore writingThrough(Write write) {
        return new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                write.write(ref, content, contentType, meta);
                return null;
            }
        };
    }

    /**
     * A delivery whose conditional save loses to a later upload of its key (two PUTs of one key at once) is told that
     * its upload was superseded: its bytes were not the ones processed, so "already processed" misled its client.
     */
    @Test
    void aDeliveryOvertakenByALaterUploadOfItsKeyIsToldItWasSuperseded() {
        String eTag = store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent later = delivery(SOURCE, "ffffffffffffffffffffffffffffffff", "0b");
        MetadataRepository overtaken = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean save(ProcessedImage image) {
                // the later upload's delivery records first, between this one's decision and its save
                metadata.save(image.withEvent(later.info()));
                return metadata.save(image);
            }
        };
        ImageProcessor racing = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                overtaken, notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);

        ProcessedImage result = racing.process(delivery(SOURCE, eTag, "0a"));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).isEqualTo("superseded: a later upload of this key (eTag "
                + "ffffffffffffffffffffffffffffffff) was recorded first, so this upload is not the current object");
    }

    private static UploadEvent delivery(ObjectRef ref, String eTag, String sequencer) {
        return new UploadEvent(ref, null, new ObjectVersion(null, eTag, sequencer), null);
    }

    @Test
    void theSameEventDeliveredThreeTimesGivesOneRecordAndOneNotification() {
        store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0055AED6DCD90281E5");

        ProcessedImage first = processor.process(event);
        ProcessedImage second = processor.process(event);
        ProcessedImage third = processor.process(event);

        assertThat(first.status()).isEqualTo(Status.PROCESSED);
        assertThat(first.notifiedAt()).isEqualTo(NOW);
        assertThat(List.of(second, third)).allSatisfy(repeat -> {
            assertThat(repeat.status()).isEqualTo(Status.SKIPPED);
            assertThat(repeat.reason()).startsWith("already processed");
        });
        assertThat(metadata.records()).hasSize(1);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.find(SOURCE).orElseThrow().notifiedAt()).isEqualTo(NOW);
    }

    @Test
    void aStaleEventDoesNotOverwriteTheRecordOfALaterVersion() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ProcessedImage later = processor.process(delivery(SOURCE, "etag-2", "0055AED6DCD90281F0"));

        ProcessedImage stale = processor.process(delivery(SOURCE, "etag-1", "0055AED6DCD90281E5"));

        assertThat(stale.status()).isEqualTo(Status.SKIPPED);
        assertThat(stale.reason()).startsWith("stale event");
        assertThat(metadata.find(SOURCE).orElseThrow().version()).isEqualTo(later.version());
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aNewVersionOfTheSameKeyIsProcessedAgain() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        processor.process(delivery(SOURCE, "etag-1", "0A"));
        store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        ProcessedImage second = processor.process(delivery(SOURCE, "etag-2", "0B"));

        assertThat(second.status()).isEqualTo(Status.PROCESSED);
        assertThat(second.source().width()).isEqualTo(800);
        assertThat(metadata.find(SOURCE).orElseThrow().source().width()).isEqualTo(800);
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void aRetryAfterTheNotifierFailedRewritesTheSameThumbnailAndNotifiesOnce() {
        store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Notifier failsOnce = image -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("SNS unreachable");
            }
            notifier.imageProcessed(image);
        };
        java.util.concurrent.atomic.AtomicInteger resizes = new java.util.concurrent.atomic.AtomicInteger();
        Resizer real = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);
        Resizer countingResizer = image -> {
            resizes.incrementAndGet();
            return real.resize(image);
        };
        ImageProcessor flaky = new ImageProcessor(store, countingResizer, metadata, failsOnce,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        assertThat(metadata.find(SOURCE).orElseThrow().notifiedAt()).isNull();
        byte[] firstThumbnail = store.read(new ObjectRef("processed", "thumbnails/" + SOURCE.key())).orElseThrow()
            .content();
        // Lambda retries a failed event a minute or more later; by then the failed delivery's claim has lapsed
        clock.advance(ImageProcessor.CLAIM_LEASE);

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(retried.notifiedAt()).isEqualTo(NOW.plus(ImageProcessor.CLAIM_LEASE));
        // the retry cannot know whether the thumbnail write happened, so it makes the same thumbnail again
        assertThat(resizes.get()).isEqualTo(2);
        assertThat(store.read(new ObjectRef("processed", "thumbnails/" + SOURCE.key())).orElseThrow().content())
            .isEqualTo(firstThumbnail);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.records()).hasSize(1);
        assertThat(flaky.process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void whenAnEarlierVersionWritesAfterALaterOneTheThumbnailEndsAsTheLaterVersions() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ObjectRef thumbnailRef = new ObjectRef("processed", "thumbnails/" + SOURCE.key());
        ImageProcessor[] processor = new ImageProcessor[1];
        java.util.concurrent.atomic.AtomicBoolean crossed = new java.util.concurrent.atomic.AtomicBoolean();
        // the first thumbnail write (v1's) is held back until v2 was uploaded and fully processed
        ImageStore crossingWrites = writingThrough((ref, content, contentType, meta) -> {
            if (ref.equals(thumbnailRef) && crossed.compareAndSet(false, true)) {
                store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
                ProcessedImage v2 = processor[0].process(delivery(SOURCE, "etag-2", "0B"));
                assertThat(v2.status()).isEqualTo(Status.PROCESSED);
            }
            store.write(ref, content, contentType, meta);
        });
        processor[0] = processor(crossingWrites, 50_000_000);

        ProcessedImage v1 = processor[0].process(delivery(SOURCE, "etag-1", "0A"));

        // v1 claimed first but was replaced before its work landed: v2's record, thumbnail and email stand, and v1
        // sends no "Thumbnail ready" pointing at v2's thumbnail
        assertThat(v1.status()).isEqualTo(Status.SKIPPED);
        assertThat(v1.reason()).isEqualTo("superseded: a later upload of this key (eTag etag-2) was recorded while "
                + "this one was being processed; its record, thumbnail and notification stand");
        assertThat(metadata.find(SOURCE).orElseThrow().version().eTag()).isEqualTo("etag-2");
        BufferedImage thumbnail = TestImages.decode(store.read(thumbnailRef).orElseThrow().content());
        assertThat(thumbnail.getWidth()).as("the later version's thumbnail (800x600 -> 256x192)").isEqualTo(256);
        assertThat(thumbnail.getHeight()).isEqualTo(192);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(sent -> assertThat(sent.version().eTag()).isEqualTo("etag-2"));
        // a redelivery of v1 is a stale event, and sends nothing either
        assertThat(processor[0].process(delivery(SOURCE, "etag-1", "0A")).reason()).startsWith("stale event");
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * The crossing writes again, but the earlier version's delivery cannot look at the record after its late write: the
     * write's answer is lost (a timeout after S3 stored it; a crash or Lambda's timeout there is the same), so it fails
     * without the check that would have written the later version's thumbnail back. Its retry finds the later version
     * recorded: the one delivery left that knows the thumbnail may be wrong.
     */
    @Test
    void theRetryOfAnEarlierVersionWhoseLateThumbnailWriteFailedWritesTheRecordedVersionsBack() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ObjectRef thumbnailRef = new ObjectRef("processed", "thumbnails/" + SOURCE.key());
        ImageProcessor[] processor = new ImageProcessor[1];
        java.util.concurrent.atomic.AtomicBoolean crossed = new java.util.concurrent.atomic.AtomicBoolean();
        // v1's thumbnail write is held back until v2 was uploaded and fully processed; it lands, and its answer is lost
        ImageStore crossingWrites = writingThrough((ref, content, contentType, meta) -> {
            boolean late = ref.equals(thumbnailRef) && crossed.compareAndSet(false, true);
            if (late) {
                store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
                assertThat(processor[0].process(delivery(SOURCE, "etag-2", "0B")).status())
                    .isEqualTo(Status.PROCESSED);
            }
            store.write(ref, content, contentType, meta);
            if (late) {
                throw new IllegalStateException("Failed to write s3://processed/" + ref.key() + " (timed out)");
            }
        });
        processor[0] = processor(crossingWrites, 50_000_000);
        UploadEvent v1 = delivery(SOURCE, "etag-1", "0A");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> processor[0].process(v1));
        clock.advance(java.time.Duration.ofMinutes(1));

        ProcessedImage retried = processor[0].process(v1);

        assertThat(retried.status()).isEqualTo(Status.SKIPPED);
        assertThat(retried.reason()).startsWith("stale event");
        StoredObject thumbnail = store.read(thumbnailRef).orElseThrow();
        assertThat(thumbnail.metadata())
            .containsEntry(ImageProcessor.SOURCE_VERSION, new ObjectVersion(null, "etag-2", "0B").key());
        assertThat(TestImages.decode(thumbnail.content()).getHeight())
            .as("the later version's thumbnail (800x600 -> 256x192)").isEqualTo(192);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aRetryAfterTheThumbnailWriteFailedWritesItBeforeNotifying() {
        store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ObjectRef thumbnailRef = new ObjectRef("processed", "thumbnails/" + SOURCE.key());
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        ImageStore failsOnce = writingThrough((ref, content, contentType, meta) -> {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("S3 unreachable");
            }
            store.write(ref, content, contentType, meta);
        });
        ImageProcessor flaky = processor(failsOnce, 50_000_000);
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        assertThat(store.read(thumbnailRef)).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
        clock.advance(ImageProcessor.CLAIM_LEASE);

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(store.read(thumbnailRef)).isPresent();
        assertThat(notifier.notifications()).hasSize(1);
    }

    private ImageProcessor processor(MetadataRepository records, Notifier publisher) {
        return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), records, publisher,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
    }

    /** Publishes through the recording notifier once {@code failures} publishes have failed, as an SNS outage. */
    private Notifier failingFor(int failures) {
        int[] left = { failures };
        return image -> {
            if (left[0]-- > 0) {
                throw new IllegalStateException("Failed to publish to SNS (NotFound): Topic does not exist");
            }
            notifier.imageProcessed(image);
        };
    }

    /**
     * Lambda retries a failed event about a minute later, inside the 90 s lease: the failed attempt gave its claim
     * back, so the first retry finishes the work instead of waiting for a claimer that is gone and failing.
     */
    @Test
    void aRetryAMinuteAfterTheNotifierFailedFindsTheClaimGivenBackAndNotifiesOnce() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ImageProcessor flaky = processor(metadata, failingFor(1));
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event))
            .withMessageContaining("NotFound");
        ProcessedImage givenBack = metadata.find(SOURCE).orElseThrow();
        assertThat(givenBack.notifiedAt()).isNull();
        assertThat(givenBack.processedAt()).as("reads as a claim whose lease has passed")
            .isEqualTo(NOW.minus(ImageProcessor.CLAIM_LEASE));
        clock.advance(java.time.Duration.ofMinutes(1));

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
        ProcessedImage finished = metadata.find(SOURCE).orElseThrow();
        assertThat(finished.processedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(finished.notifiedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(flaky.process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aRetryRightAfterTheThumbnailWriteFailedWritesItAndNotifiesOnce() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ObjectRef thumbnailRef = new ObjectRef("processed", "thumbnails/" + SOURCE.key());
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        ImageProcessor flaky = processor(writingThrough((ref, content, contentType, meta) -> {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("Failed to write s3://processed/thumbnails/... (AccessDenied)");
            }
            store.write(ref, content, contentType, meta);
        }), 50_000_000);
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        clock.advance(java.time.Duration.ofSeconds(1));

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(store.read(thumbnailRef)).isPresent();
        assertThat(notifier.notifications()).hasSize(1);
    }

    /** A retry that takes a given-back claim over and fails again gives its own claim back too. */
    @Test
    void aTakeoverThatFailsAgainGivesItsClaimBackForTheNextRetry() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ImageProcessor flaky = processor(metadata, failingFor(2));
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        assertThat(metadata.find(SOURCE).orElseThrow().processedAt())
            .isEqualTo(NOW.plusSeconds(60).minus(ImageProcessor.CLAIM_LEASE));
        clock.advance(java.time.Duration.ofMinutes(2));

        assertThat(flaky.process(event).status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * The failing delivery ran past the lease, and another took its claim over and is at work: the late failure must
     * not give back the claim that is now the other's, which would let a third delivery notify beside it.
     */
    @Test
    void aFailureGivesBackOnlyItsOwnClaimNotOneAnotherDeliveryTookOverMeanwhile() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        Instant[] takenOverAt = new Instant[1];
        MetadataRepository takenOverBeforeTheRelease = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean release(ProcessedImage claim, Instant lapsedAt) {
                clock.advance(ImageProcessor.CLAIM_LEASE.plusSeconds(5));
                takenOverAt[0] = clock.instant();
                assertThat(metadata.replace(claim.withProcessedAt(takenOverAt[0]), claim)).isTrue();
                return delegate.release(claim, lapsedAt);
            }
        };

        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> processor(takenOverBeforeTheRelease, failingFor(1)).process(event));

        assertThat(metadata.find(SOURCE).orElseThrow().processedAt()).as("the taker's claim").isEqualTo(takenOverAt[0]);
        assertThatExceptionOfType(DeliveryInProgressException.class).isThrownBy(() -> processor.process(event))
            .withMessageStartingWith("a concurrent delivery of this version claimed it 0 s ago");
        assertThat(notifier.notifications()).isEmpty();
    }

    /**
     * SNS took the message and the mark's answer was lost (a timeout after DynamoDB applied it): the record is
     * notified, and giving the claim back must not turn it into a claim whose notification is owed again.
     */
    @Test
    void aFailureAfterTheMarkLandedLeavesTheRecordNotified() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        MetadataRepository markAnswerLost = new DelegatingMetadataRepository(metadata) {
            @Override
            public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
                delegate.markNotified(source, version, at);
                throw new IllegalStateException("Failed to mark the record notified (timed out)");
            }
        };

        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> processor(markAnswerLost, notifier).process(event));

        assertThat(metadata.find(SOURCE).orElseThrow().notifiedAt()).isEqualTo(NOW);
        assertThat(metadata.find(SOURCE).orElseThrow().processedAt()).isEqualTo(NOW);
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(processor.process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * The store that refused the thumbnail's record is down too: the claim stays under its lease, as after a crash,
     * and the failure that propagates (and that the function logs) is the original one.
     */
    @Test
    void aClaimThatCannotBeGivenBackStaysUnderItsLeaseAndTheOriginalFailurePropagates() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        IllegalStateException storeDown = new IllegalStateException("Failed to update the record (DynamoDB down)");
        MetadataRepository releaseFails = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean release(ProcessedImage claim, Instant lapsedAt) {
                throw storeDown;
            }
        };
        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(ImageProcessor.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> processor(releaseFails, failingFor(1)).process(event))
                .withMessageContaining("NotFound")
                .satisfies(failure -> assertThat(failure.getSuppressed()).containsExactly(storeDown));
        }
        finally {
            jul.removeHandler(handler);
        }

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(record.getMessage()).startsWith("Could not give back the claim on the record of "
                    + "s3://uploads/photos/my photo(1).jpg after the failure")
                .contains(NOW.plus(ImageProcessor.CLAIM_LEASE).toString())
                .contains("DynamoDB down");
        });
        assertThat(metadata.find(SOURCE).orElseThrow().processedAt()).isEqualTo(NOW);
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThatExceptionOfType(DeliveryInProgressException.class).isThrownBy(() -> processor.process(event));
        clock.advance(java.time.Duration.ofMinutes(2));
        assertThat(processor.process(event).status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aThumbnailKeyTheStoreCannotHoldIsDecidedBeforeAnythingIsClaimed() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ImageStore refusesThumbnails = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new AssertionError("must not write");
            }

            @Override
            public void checkWritable(ObjectRef ref) {
                throw new InvalidObjectKeyException("key of " + ref + " is longer than S3's limit of 1024 bytes");
            }

            @Override
            public void delete(ObjectRef ref) {
                // as S3ImageStore: no object can have such a key, so no thumbnail of an earlier upload is there
                checkWritable(ref);
            }
        };

        ProcessedImage result = processor(refusesThumbnails, 50_000_000).process(delivery(SOURCE, "etag-1", "0A"));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).contains("longer than S3's limit");
        assertThat(metadata.find(SOURCE).orElseThrow().status()).isEqualTo(Status.REJECTED);
    }

    @Test
    void concurrentDeliveriesOfOneEventNotifyOnce() throws Exception {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<ProcessedImage>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> processor.process(event)));
            }
            // one claims and notifies; the others find no record (their claim loses: SKIPPED), the record notified
            // (SKIPPED), or the claim fresh and the notification outstanding (in progress: failed, to be retried)
            List<String> outcomes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<ProcessedImage> result : results) {
                try {
                    outcomes.add(result.get(30, java.util.concurrent.TimeUnit.SECONDS).status().name());
                }
                catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(DeliveryInProgressException.class);
                    outcomes.add("IN_PROGRESS");
                }
            }
            assertThat(outcomes).containsOnlyOnce("PROCESSED").hasSize(6)
                .allMatch(outcome -> List.of("PROCESSED", "SKIPPED", "IN_PROGRESS").contains(outcome));
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.records()).hasSize(1);
    }

    @Test
    void ofTwoDeliveriesFindingALapsedClaimOnlyOneFinishesTheWork() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        RuntimeException[] duplicateFailure = new RuntimeException[1];
        ImageProcessor[] duplicate = new ImageProcessor[1];
        Notifier notifierOfTwo = image -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw new IllegalStateException("SNS unreachable");
            }
            if (call == 2) {
                // Lambda's retry is publishing; a duplicate of the event, also past the first claim's lease, arrives
                try {
                    duplicate[0].process(event);
                }
                catch (RuntimeException e) {
                    duplicateFailure[0] = e;
                }
            }
            notifier.imageProcessed(image);
        };
        ImageProcessor deliveries = new ImageProcessor(store,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata, notifierOfTwo,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
        duplicate[0] = deliveries;
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> deliveries.process(event));
        clock.advance(ImageProcessor.CLAIM_LEASE.plusSeconds(30));

        ProcessedImage retried = deliveries.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(duplicateFailure[0]).isInstanceOf(DeliveryInProgressException.class)
            .hasMessageContaining("has not notified yet");
        assertThat(notifier.notifications()).hasSize(1);
        // the retry took the claim over: the record says when, so the lease runs from then
        assertThat(metadata.find(SOURCE).orElseThrow().processedAt())
            .isEqualTo(NOW.plus(ImageProcessor.CLAIM_LEASE).plusSeconds(30));
        assertThat(deliveries.process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void ofTwoDeliveriesTakingOverALapsedClaimAtOnceTheLoserSendsNothing() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        Notifier down = image -> {
            throw new IllegalStateException("SNS unreachable");
        };
        ImageProcessor failing = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, down, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> failing.process(event));
        clock.advance(ImageProcessor.CLAIM_LEASE.plusSeconds(1));
        ProcessedImage lapsed = metadata.find(SOURCE).orElseThrow();
        // the other delivery's takeover lands between this one's look-up and its own takeover
        MetadataRepository racing = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean replace(ProcessedImage image, ProcessedImage expected) {
                assertThat(metadata.replace(lapsed.withProcessedAt(clock.instant().minusMillis(1)), lapsed)).isTrue();
                return metadata.replace(image, expected);
            }
        };
        ImageProcessor loser = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                racing, notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);

        assertThatExceptionOfType(DeliveryInProgressException.class).isThrownBy(() -> loser.process(event))
            .withMessageContaining("took over the lapsed claim");
        assertThat(notifier.notifications()).isEmpty();
    }

    /** A claim lapsed under a delivery that failed: the record as the two next deliveries both find it. */
    private ProcessedImage lapsedClaim(UploadEvent event) {
        Notifier down = image -> {
            throw new IllegalStateException("SNS unreachable");
        };
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> processor(metadata, down).process(event));
        clock.advance(ImageProcessor.CLAIM_LEASE.plusSeconds(1));
        return metadata.find(SOURCE).orElseThrow();
    }

    /**
     * Of two deliveries finding a lapsed claim, the other took it over, failed at once and gave it back, all between
     * this one's look-up and its takeover: nobody holds the claim, so this one takes it over and finishes, rather than
     * fail to wait 90 s for a claimer that is gone.
     */
    @Test
    void aTakeoverLostToOneThatGaveTheClaimBackAlreadyTakesItOverAndNotifiesOnce() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        ProcessedImage lapsed = lapsedClaim(event);
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        MetadataRepository racing = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean replace(ProcessedImage image, ProcessedImage expected) {
                if (raced.compareAndSet(false, true)) {
                    ProcessedImage othersClaim = lapsed.withProcessedAt(clock.instant().minusMillis(1));
                    assertThat(metadata.replace(othersClaim, lapsed)).isTrue();
                    assertThat(metadata.release(othersClaim,
                            othersClaim.processedAt().minus(ImageProcessor.CLAIM_LEASE))).isTrue();
                }
                return metadata.replace(image, expected);
            }
        };

        ProcessedImage result = processor(racing, notifier).process(event);

        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.find(SOURCE).orElseThrow().notifiedAt()).isEqualTo(clock.instant());
    }

    /**
     * A later upload of the key was recorded between this delivery's look-up of a lapsed claim and its takeover: the
     * event is stale now, and waiting (then failing, and a retry) would be for a claim nobody holds.
     */
    @Test
    void aTakeoverLostToALaterVersionIsSkippedAsStale() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        ProcessedImage lapsed = lapsedClaim(event);
        MetadataRepository racing = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean replace(ProcessedImage image, ProcessedImage expected) {
                ProcessedImage later = lapsed.withEvent(delivery(SOURCE, "etag-2", "0B").info())
                    .withProcessedAt(clock.instant());
                assertThat(metadata.save(later)).isTrue();
                return metadata.replace(image, expected);
            }
        };

        ProcessedImage result = processor(racing, notifier).process(event);

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).startsWith("stale event");
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void aDuplicateArrivingWhileTheClaimerIsStillAtWorkFailsToBeRetriedAndSendsNothing() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");
        ProcessedImage[] duplicate = new ProcessedImage[1];
        RuntimeException[] duplicateFailure = new RuntimeException[1];
        // the duplicate runs after the claim, while the first delivery is publishing its notification
        Notifier slow = image -> {
            clock.advance(java.time.Duration.ofSeconds(5));
            try {
                duplicate[0] = processor.process(event);
            }
            catch (RuntimeException e) {
                duplicateFailure[0] = e;
            }
            notifier.imageProcessed(image);
        };
        ImageProcessor first = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, slow, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);

        assertThat(first.process(event).status()).isEqualTo(Status.PROCESSED);

        assertThat(duplicate[0]).isNull();
        assertThat(duplicateFailure[0]).isInstanceOf(DeliveryInProgressException.class)
            .hasMessage("a concurrent delivery of this version claimed it 5 s ago and has not notified yet: "
                    + "retry after 85 s");
        assertThat(notifier.notifications()).hasSize(1);
        // its retry, a minute later, finds the record notified
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(processor.process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * A large object the resizer refuses by its first bytes (a video in a bucket being backfilled) is rejected on
     * them: the store is asked for the head, not the 30 MB, and the record still gives the object's whole size.
     */
    @Test
    void aLargeObjectRefusedByItsHeadIsRejectedWithItsWholeSizeWithoutTheRestBeingRead() {
        byte[] video = new byte[30_000_000];
        System.arraycopy(new byte[] { 0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm' }, 0, video, 0, 12);
        store.write(SOURCE, video, "video/mp4", Map.of());
        java.util.List<Integer> heads = new java.util.ArrayList<>();
        ImageStore counting = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new AssertionError("the whole object was read");
            }

            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes, int headBytes,
                    java.util.function.Predicate<byte[]> worthReading) {
                heads.add(headBytes);
                return store.read(ref, versionId, maxBytes, headBytes, worthReading);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
                return store.write(ref, content, contentType, metadata);
            }

            @Override
            public void delete(ObjectRef ref) {
                store.delete(ref);
            }

            @Override
            public java.util.stream.Stream<ListedObject> list(String bucket, String prefix) {
                return store.list(bucket, prefix);
            }
        };

        ProcessedImage result = processor(counting, 50_000_000).process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("not a JPEG: content is unknown content");
        assertThat(result.source().bytes()).isEqualTo(30_000_000L);
        assertThat(heads).containsExactly(Resizer.HEAD_BYTES);
        assertThat(metadata.find(SOURCE)).contains(result);
    }

    @Test
    void rejectsBadInputAndStillRecordsAndNotifiesIt() {
        store.write(SOURCE, TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg", Map.of());

        ProcessedImage result = processor.process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("not a JPEG: content is text");
        assertThat(result.output()).isNull();
        assertThat(result.source().bytes()).isEqualTo(45L);
        assertThat(store.objects()).doesNotContainKey(new ObjectRef("processed", "thumbnails/" + SOURCE.key()));
        assertThat(metadata.find(SOURCE)).contains(result);
        assertThat(notifier.notifications()).containsExactly(result.withNotifiedAt(null));
    }

    @Test
    void anEventsSizeAloneRejectsNothing() {
        // a hand-made event that says the object is over the limit, for an object that is not
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        ProcessedImage result = processor(store, 1000)
            .process(new UploadEvent(SOURCE, 5000L, new ObjectVersion(null, "etag", "seq"), null));

        assertThat(result.status()).isEqualTo(Status.PROCESSED);
        assertThat(result.source().bytes()).isEqualTo(443L);
    }

    @Test
    void rejectsAnObjectLargerThanTheLimitWhenTheEventDoesNotSayItsSize() {
        store.write(SOURCE, TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());

        ProcessedImage result = processor(store, 1000).process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).startsWith("object is 829183 bytes, over the limit of 1000 bytes");
    }

    @Test
    void rejectsAnObjectOfUnannouncedSizeThatTheStoreStoppedReadingPastTheLimit() {
        ImageStore chunked = readFailing(ref -> ObjectTooLargeException.moreThan(ref, 1000));

        ProcessedImage result = processor(chunked, 1000).process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("object is more than 1000 bytes, over the limit of 1000 bytes (its size "
                + "was not announced; reading stopped there)");
        assertThat(result.source().bytes()).isNull();
    }

    @Test
    void skipsAnEventForItsOwnOutputWithoutReadingIt() {
        ImageStore unreadable = readFailing(ref -> new IllegalStateException("must not read its own output"));

        ProcessedImage result = processor(unreadable, 1000)
            .process(UploadEvent.of(new ObjectRef("processed", "thumbnails/photo.jpg")));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).isEqualTo("an output of this function (s3://processed/), not an upload");
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void skipsAnyKeyOfTheProcessedBucketWithoutReadingIt() {
        // given a notification on the processed bucket by mistake, for keys outside the thumbnail prefix too
        ImageStore unreadable = readFailing(ref -> new IllegalStateException("must not read " + ref));
        ImageProcessor guarded = processor(unreadable, 1000);

        for (String key : List.of("photo.jpg", "photos/my photo(1).jpg", "thumbnailsX/photo.jpg")) {
            // when
            ProcessedImage result = guarded.process(UploadEvent.of(new ObjectRef("processed", key)));

            // then nothing is read, recorded or notified
            assertThat(result.status()).as(key).isEqualTo(Status.SKIPPED);
            assertThat(result.reason()).as(key).isEqualTo("an output of this function (s3://processed/), not an upload");
        }
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void inABucketSharedWithUploadsOnlyKeysUnderThePrefixAreOutputs() {
        // given thumbnails written to the upload bucket itself, under thumbnails/
        ImageProcessor shared = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata,
                notifier, OutputLocation.of("uploads", "uploads", "thumbnails/"), 50_000_000,
                Clock.fixed(NOW, ZoneOffset.UTC));
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        // when an upload and then its own thumbnail are announced
        ProcessedImage upload = shared.process(UploadEvent.of(SOURCE));
        ProcessedImage thumbnail = shared.process(UploadEvent.of(new ObjectRef("uploads", "thumbnails/" + SOURCE.key())));

        // then the upload is processed into the same bucket, and its thumbnail is not processed again
        assertThat(upload.status()).isEqualTo(Status.PROCESSED);
        assertThat(upload.output().bucket()).isEqualTo("uploads");
        assertThat(upload.output().key()).isEqualTo("thumbnails/" + SOURCE.key());
        assertThat(thumbnail.status()).isEqualTo(Status.SKIPPED);
        assertThat(thumbnail.reason()).isEqualTo("an output of this function (s3://uploads/thumbnails/), not an upload");
        assertThat(metadata.records()).hasSize(1);
    }

    @Test
    void skipsAnObjectCarryingTheOutputMarkerWhereverItIs() {
        ObjectRef copied = new ObjectRef("uploads", "copied-thumbnail.jpg");
        store.write(copied, TestImages.bytes(TestImages.SMALL), "image/jpeg", ImageProcessor.OUTPUT_MARKER);

        ProcessedImage result = processor.process(UploadEvent.of(copied));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).startsWith("carries this function's output marker");
        assertThat(store.objects()).doesNotContainKey(new ObjectRef("processed", "thumbnails/copied-thumbnail.jpg"));
    }

    @Test
    void anUploadOverwrittenBeforeItsEventIsReadIsLeftToTheLaterUploadsEvent() {
        // given: on a bucket without versions, a photo is uploaded (event 0A) and, before its event is read,
        // overwritten by a file that is no JPEG (event 0B); a read can only get the current object
        String photo = store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        String notes = store.write(SOURCE, "meeting notes".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "image/jpeg", Map.of());

        // when
        ProcessedImage first = processor.process(delivery(SOURCE, photo, "0A"));
        ProcessedImage second = processor.process(delivery(SOURCE, notes, "0B"));

        // then: the photo's event neither rejects the photo for the notes' bytes nor records them as the photo
        assertThat(first.status()).isEqualTo(Status.SKIPPED);
        assertThat(first.reason()).startsWith("overwritten before it could be read");
        assertThat(second.status()).isEqualTo(Status.REJECTED);
        assertThat(metadata.find(SOURCE).orElseThrow().version().eTag()).isEqualTo(notes);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(sent -> assertThat(sent.version().eTag()).isEqualTo(notes));
    }

    @Test
    void aVersionedEventIsNotRecordedWithTheBytesOfAnotherVersionFromAStoreThatKeepsOneVersionPerKey() {
        // given: a store that keeps the latest version of a key only (the local folders; this in-memory one too), a
        // photo (version va) overwritten by another (vb) before va's event is read
        String first = store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        String second = store.write(SOURCE, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        // when
        ProcessedImage early = processor.process(new UploadEvent(SOURCE, null, new ObjectVersion("va", first, "0A"),
                null));
        ProcessedImage late = processor.process(new UploadEvent(SOURCE, null, new ObjectVersion("vb", second, "0B"),
                null));

        // then: va's event does not record and notify the second photo's bytes under va's identity (the record
        // naming one photo, its thumbnail and notification another); vb's event processes them, once
        assertThat(early.status()).isEqualTo(Status.SKIPPED);
        assertThat(late.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(sent -> assertThat(sent.version().versionId()).isEqualTo("vb"));
        assertThat(metadata.find(SOURCE).orElseThrow().version().eTag()).isEqualTo(second);
    }

    @Test
    void skipsAnObjectThatNoLongerExistsWithoutRecordingIt() {
        ProcessedImage result = processor.process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).isEqualTo("object no longer exists");
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void rejectsAKeyTheStoreCannotHold() {
        ImageStore refusing = readFailing(ref -> new InvalidObjectKeyException("key '" + ref.key() + "' would escape the bucket folder"));

        ProcessedImage result = processor(refusing, 1000).process(UploadEvent.of(new ObjectRef("uploads", "../x")));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("key '../x' would escape the bucket folder");
    }

    @Test
    void letsAnInfrastructureFailurePropagateWithoutRecordingSuccess() {
        store.write(SOURCE, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        Notifier failing = image -> {
            throw new IllegalStateException("SNS unreachable");
        };
        ImageProcessor withFailingNotifier = new ImageProcessor(store,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata, failing,
                new OutputLocation("processed", "thumbnails/"), 1_000_000, Clock.systemUTC());

        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> withFailingNotifier.process(UploadEvent.of(SOURCE)))
            .withMessage("SNS unreachable");

        // the thumbnail and the record were written before the notifier failed, but nothing claims it was notified:
        // the retry (Lambda's) finds the record unnotified and completes it
        assertThat(store.read(new ObjectRef("processed", "thumbnails/photos/my photo(1).jpg"))).isPresent();
        assertThat(metadata.find(SOURCE)).hasValueSatisfying(record -> {
            assertThat(record.status()).isEqualTo(Status.PROCESSED);
            assertThat(record.notifiedAt()).as("notifiedAt").isNull();
        });
        assertThat(notifier.notifications()).isEmpty();
    }
}
