package io.github.lambdaimageprocessor.processing;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
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

    private final ImageProcessor processor = processor(store, 50_000_000);

    private ImageProcessor processor(ImageStore imageStore, long maxInputBytes) {
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(ThumbnailSpec.DEFAULT), metadata, notifier,
                new OutputLocation("processed", "thumbnails/"), maxInputBytes, Clock.fixed(NOW, ZoneOffset.UTC));
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
            public void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new AssertionError("must not write");
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
            public void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                write.write(ref, content, contentType, meta);
            }
        };
    }

    private static UploadEvent delivery(ObjectRef ref, String eTag, String sequencer) {
        return new UploadEvent(ref, null, eTag, null, sequencer);
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
        Resizer real = new ThumbnailatorResizer(ThumbnailSpec.DEFAULT);
        Resizer countingResizer = image -> {
            resizes.incrementAndGet();
            return real.resize(image);
        };
        ImageProcessor flaky = new ImageProcessor(store, countingResizer, metadata, failsOnce,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.fixed(NOW, ZoneOffset.UTC));
        UploadEvent event = delivery(SOURCE, "etag-1", "0A");

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(event));
        assertThat(metadata.find(SOURCE).orElseThrow().notifiedAt()).isNull();
        byte[] firstThumbnail = store.read(new ObjectRef("processed", "thumbnails/" + SOURCE.key())).orElseThrow()
            .content();

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(retried.notifiedAt()).isEqualTo(NOW);
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

        assertThat(v1.status()).isEqualTo(Status.PROCESSED);
        assertThat(metadata.find(SOURCE).orElseThrow().event().eTag()).isEqualTo("etag-2");
        BufferedImage thumbnail = TestImages.decode(store.read(thumbnailRef).orElseThrow().content());
        assertThat(thumbnail.getWidth()).as("the later version's thumbnail (800x600 -> 256x192)").isEqualTo(256);
        assertThat(thumbnail.getHeight()).isEqualTo(192);
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

        ProcessedImage retried = flaky.process(event);

        assertThat(retried.status()).isEqualTo(Status.PROCESSED);
        assertThat(store.read(thumbnailRef)).isPresent();
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
            public void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new AssertionError("must not write");
            }

            @Override
            public void checkWritable(ObjectRef ref) {
                throw new InvalidObjectKeyException("key of " + ref + " is longer than S3's limit of 1024 bytes");
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
            long processed = 0;
            for (java.util.concurrent.Future<ProcessedImage> result : results) {
                processed += result.get(30, java.util.concurrent.TimeUnit.SECONDS).status() == Status.PROCESSED ? 1 : 0;
            }
            assertThat(processed).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.records()).hasSize(1);
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
    void rejectsAnObjectLargerThanTheLimitWithoutReadingIt() {
        ImageStore unreadable = readFailing(ref -> new IllegalStateException("must not read an object the event says is too large"));

        ProcessedImage result = processor(unreadable, 1000)
            .process(new UploadEvent(SOURCE, 5000L, "etag", null, "seq"));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("object is 5000 bytes, over the limit of 1000 bytes");
    }

    @Test
    void rejectsAnObjectLargerThanTheLimitWhenTheEventDoesNotSayItsSize() {
        store.write(SOURCE, TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());

        ProcessedImage result = processor(store, 1000).process(UploadEvent.of(SOURCE));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).startsWith("object is 829183 bytes, over the limit of 1000 bytes");
    }

    @Test
    void skipsAnEventForItsOwnOutputWithoutReadingIt() {
        ImageStore unreadable = readFailing(ref -> new IllegalStateException("must not read its own output"));

        ProcessedImage result = processor(unreadable, 1000)
            .process(UploadEvent.of(new ObjectRef("processed", "thumbnails/photo.jpg")));

        assertThat(result.status()).isEqualTo(Status.SKIPPED);
        assertThat(result.reason()).isEqualTo("an output of this function (s3://processed/thumbnails/), not an upload");
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
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
                new ThumbnailatorResizer(ThumbnailSpec.DEFAULT), metadata, failing,
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
