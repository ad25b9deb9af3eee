package io.github.lambdaimageprocessor.function;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static io.github.lambdaimageprocessor.function.S3Events.event;
import static io.github.lambdaimageprocessor.function.S3Events.parse;
import static io.github.lambdaimageprocessor.function.S3Events.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class S3EventFunctionTest {

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private S3EventFunction function(ImageStore imageStore) {
        return new S3EventFunction(new ImageProcessor(imageStore, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC()),
                "uploads", pool, Clock.systemUTC());
    }

    @Test
    void processesTheSampleEventWithItsUrlDecodedKey() throws Exception {
        store.write(new ObjectRef("uploads", "photos/my photo(1).jpg"), TestImages.bytes(TestImages.PHOTO),
                "image/jpeg", Map.of());

        List<ProcessedImage> results = function(store)
            .apply(parse(Files.readString(Path.of("events/s3-put.json"), StandardCharsets.UTF_8)));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.PROCESSED);
            assertThat(result.source().key()).isEqualTo("photos/my photo(1).jpg");
            assertThat(result.output().key()).isEqualTo("thumbnails/photos/my photo(1).jpg");
        });
    }

    @Test
    void anEventOfAnUploadABackfillHasSinceNotifiedIsSkippedByItsEventTime() {
        // given an upload (the sample event's eTag and time) that a backfill --notify made and notified
        ObjectRef photo = new ObjectRef("uploads", "photos/my photo(1).jpg");
        byte[] bytes = TestImages.bytes(TestImages.PHOTO);
        String eTag = store.write(photo, bytes, "image/jpeg", Map.of());
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC());
        processor.backfill(store.list("uploads", "photos/").findFirst().orElseThrow(), false, true);
        String event = event("""
                {"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                 "s3":{"bucket":{"name":"uploads"},"object":{"key":"photos/my+photo%281%29.jpg","size":1000,
                 "eTag":"ETAG","sequencer":"0A1B2C3D4E5F678901"}}}""".replace("ETAG", eTag));

        // when its event is delivered (a redrive, a late retry), then it is the same upload, not notified twice
        List<ProcessedImage> results = function(store).apply(parse(event));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.SKIPPED);
            assertThat(result.reason()).startsWith("already processed: a backfill recorded this object");
        });
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void attributesEachOutcomeToItsEventAndToTheLambdaInvocation() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        Message<S3Event> fromLambda = MessageBuilder.withPayload(parse(event(record("ObjectCreated:Put", "uploads",
                "a.jpg"))).getPayload())
            .setHeader(AWSLambdaUtils.AWS_CONTEXT, new TestLambdaContext("req-1234"))
            .build();

        List<ProcessedImage> results = function(store).apply(fromLambda);

        EventInfo expected = new EventInfo(new ObjectVersion(null, "abc", "00A"), "req-1234");
        assertThat(results).singleElement().satisfies(result -> assertThat(result.event()).isEqualTo(expected));
        assertThat(metadata.find(new ObjectRef("uploads", "a.jpg"))).hasValueSatisfying(
                record -> assertThat(record.event()).isEqualTo(expected));
    }

    @Test
    void decodesPlusPercentAndUnicodeInKeys() {
        store.write(new ObjectRef("uploads", "a+b.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "café €.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg",
                Map.of());

        List<ProcessedImage> results = function(store).apply(parse(event(
                record("ObjectCreated:Put", "uploads", "a%2Bb.jpg"),
                record("ObjectCreated:Put", "uploads", "caf%C3%A9+%E2%82%AC.jpg"))));

        assertThat(results).extracting(r -> r.source().key()).containsExactly("a+b.jpg", "café €.jpg");
        assertThat(results).extracting(ProcessedImage::status).containsOnly(Status.PROCESSED);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aKeyHoldingALineBreakIsLoggedOnOneLine(CapturedOutput output) {
        store.write(new ObjectRef("uploads", "a.jpg\nFAILED forged.jpg"), TestImages.bytes("not-jpeg/plain-text.jpg"),
                "image/jpeg", Map.of());

        List<ProcessedImage> results = function(store).apply(parse(event(record("ObjectCreated:Put", "uploads",
                "a.jpg%0AFAILED+forged.jpg"))));

        assertThat(results).singleElement().extracting(ProcessedImage::status).isEqualTo(Status.REJECTED);
        assertThat(output.getOut()).contains("REJECTED s3://uploads/a.jpg\\u000AFAILED forged.jpg: ")
            .doesNotContain("\nFAILED forged.jpg");
    }

    @Test
    void returnsOneResultPerRecordInOrderAndABadRecordDoesNotStopTheOthers() {
        store.write(new ObjectRef("uploads", "good1.jpg"), TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg",
                Map.of());
        store.write(new ObjectRef("uploads", "bad.jpg"), TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg",
                Map.of());
        store.write(new ObjectRef("uploads", "good2.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg",
                Map.of());

        List<ProcessedImage> results = function(store).apply(parse(event(
                record("ObjectCreated:Put", "uploads", "good1.jpg"), record("ObjectCreated:Put", "uploads", "bad.jpg"),
                record("ObjectCreated:Put", "uploads", "missing.jpg"),
                record("ObjectCreated:Put", "uploads", "good2.jpg"))));

        assertThat(results).extracting(r -> r.source().key())
            .containsExactly("good1.jpg", "bad.jpg", "missing.jpg", "good2.jpg");
        assertThat(results).extracting(ProcessedImage::status)
            .containsExactly(Status.PROCESSED, Status.REJECTED, Status.SKIPPED, Status.PROCESSED);
    }

    @Test
    void processesTheRecordsOfOneEventInParallel() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "b.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        java.util.concurrent.CyclicBarrier bothReading = new java.util.concurrent.CyclicBarrier(2);
        ImageStore meetingHalfway = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                try {
                    // only passes when the other record is being read at the same time
                    bothReading.await(5, java.util.concurrent.TimeUnit.SECONDS);
                }
                catch (Exception e) {
                    throw new IllegalStateException("records were not read in parallel", e);
                }
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }
        };

        List<ProcessedImage> results = function(meetingHalfway).apply(parse(event(
                record("ObjectCreated:Put", "uploads", "a.jpg"), record("ObjectCreated:Put", "uploads", "b.jpg"))));

        assertThat(results).extracting(r -> r.source().key()).containsExactly("a.jpg", "b.jpg");
        assertThat(results).extracting(ProcessedImage::status).containsOnly(Status.PROCESSED);
    }

    @Test
    void skipsEventsThatAreNotObjectCreation() {
        List<ProcessedImage> results = function(store)
            .apply(parse(event(record("ObjectRemoved:Delete", "uploads", "gone.jpg"))));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.SKIPPED);
            assertThat(result.reason()).isEqualTo("not an object-created event: ObjectRemoved:Delete");
        });
    }

    @Test
    void aRecordOfAnotherBucketIsRejectedUnreadAndLeavesTheUploadsThumbnailAlone() {
        // given an upload with its thumbnail, and an object of the same name in another bucket
        ObjectRef upload = new ObjectRef("uploads", "photo.jpg");
        store.write(upload, TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());
        store.write(new ObjectRef("other", "photo.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        function(store).apply(parse(event(record("ObjectCreated:Put", "uploads", "photo.jpg"))));
        ObjectRef thumbnail = new ObjectRef("processed", "thumbnails/photo.jpg");
        byte[] uploadsThumbnail = store.objects().get(thumbnail).content();

        // when a hand-made event names the other bucket (and, beside it, the processed bucket)
        List<ProcessedImage> results = function(store).apply(parse(event(
                record("ObjectCreated:Put", "other", "photo.jpg"),
                record("ObjectCreated:Put", "processed", "thumbnails/photo.jpg"))));

        // then the other bucket's record is refused, naming the bucket expected, and nothing is written or sent
        assertThat(results).extracting(ProcessedImage::status).containsExactly(Status.REJECTED, Status.SKIPPED);
        assertThat(results.getFirst().reason()).isEqualTo("the event names bucket other, not the upload bucket "
                + "uploads (image-processor.upload-bucket) that this function makes thumbnails for");
        assertThat(results.get(1).reason()).startsWith("an output of this function");
        assertThat(store.objects().get(thumbnail).content()).isEqualTo(uploadsThumbnail);
        assertThat(metadata.find(new ObjectRef("other", "photo.jpg"))).isEmpty();
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void rejectsARecordThatNamesNoObject() {
        List<ProcessedImage> results = function(store).apply(parse(event("{\"eventName\":\"ObjectCreated:Put\",\"eventTime\":\"2026-11-26T00:00:00.000Z\"}")));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.REJECTED);
            assertThat(result.reason()).isEqualTo("event record names no bucket and key");
        });
    }

    @Test
    void rejectsAKeyThatIsNotUrlEncodedAndStillProcessesTheOtherRecords() {
        store.write(new ObjectRef("uploads", "100%.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        List<ProcessedImage> results = function(store).apply(parse(event(
                record("ObjectCreated:Put", "uploads", "100%.jpg"),
                record("ObjectCreated:Put", "uploads", "100%25.jpg"))));

        assertThat(results).extracting(ProcessedImage::status).containsExactly(Status.REJECTED, Status.PROCESSED);
        assertThat(results.getFirst().source().key()).isEqualTo("100%.jpg");
        assertThat(results.getFirst().reason()).startsWith("event record's key is not URL-encoded");
        assertThat(results.get(1).source().key()).isEqualTo("100%.jpg");
    }

    @Test
    void aKeyLongerThanS3TakesIsRejectedUnreadAndNeitherRecordedNorNotified() {
        // given a hand-made event whose key no S3 object can have (S3 takes 1024 bytes), and an upload beside it
        String tooLong = "x".repeat(3000) + ".jpg";
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        List<ProcessedImage> results = function(store).apply(parse(event(
                record("ObjectCreated:Put", "uploads", tooLong), record("ObjectCreated:Put", "uploads", "a.jpg"))));

        // then it is refused saying why, the upload is processed, and nothing names the long key: on DynamoDB its
        // record's id would be over the 2048 bytes a key may have, and the refused save failed the whole event
        assertThat(results).extracting(ProcessedImage::status).containsExactly(Status.REJECTED, Status.PROCESSED);
        assertThat(results.getFirst().reason()).startsWith("event record's key 'xxx")
            .endsWith("(3004 bytes) is longer than S3's limit of 1024 bytes, so it names no object");
        assertThat(metadata.find(new ObjectRef("uploads", tooLong))).isEmpty();
        assertThat(notifier.notifications()).extracting(n -> n.source().key()).containsExactly("a.jpg");
    }

    @Test
    void ofRecordsNamingOneObjectOnlyTheLatestVersionIsReadAndResized() {
        store.write(new ObjectRef("uploads", "many.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "other.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        ImageStore counting = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                reads.incrementAndGet();
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }
        };
        String first = versioned("many.jpg", "e1", "0A");
        String latest = versioned("many.jpg", "e3", "0C");
        String middle = versioned("many.jpg", "e2", "0B");

        List<ProcessedImage> results = function(counting).apply(parse(event(first, latest, middle,
                record("ObjectCreated:Put", "uploads", "other.jpg"), latest)));

        assertThat(results).extracting(ProcessedImage::status).containsExactly(Status.SKIPPED, Status.PROCESSED,
                Status.SKIPPED, Status.PROCESSED, Status.SKIPPED);
        assertThat(results.get(1).version().sequencer()).isEqualTo("0C");
        assertThat(results.get(0).reason()).startsWith("another record of this event names the same object");
        assertThat(reads.get()).as("one read per object").isEqualTo(2);
    }

    private static String versioned(String key, String eTag, String sequencer) {
        return record("ObjectCreated:Put", "uploads", key).replace("\"eTag\":\"abc\",\"sequencer\":\"00A\"",
                "\"eTag\":\"" + eTag + "\",\"sequencer\":\"" + sequencer + "\"");
    }

    @Test
    void aNullRecordIsRejectedAndTheOthersStillRun() {
        store.write(new ObjectRef("uploads", "fine.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3Event event = parse(event(record("ObjectCreated:Put", "uploads", "fine.jpg"))).getPayload();
        List<com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord> records =
                new java.util.ArrayList<>();
        records.add(null);
        records.addAll(event.getRecords());

        List<ProcessedImage> results = function(store).apply(new S3Event(records), null);

        assertThat(results).extracting(ProcessedImage::status).containsExactly(Status.REJECTED, Status.PROCESSED);
        assertThat(results.getFirst().reason()).isEqualTo("event record is null");
    }

    @Test
    void refusesSomethingThatIsNotAnS3Event() {
        assertThatIllegalArgumentException().isThrownBy(() -> function(store).apply(new S3Event(), null))
            .withMessageContaining("Records");
    }

    @Test
    void throwsAfterAttemptingEveryRecordWhenTheInfrastructureFails() {
        store.write(new ObjectRef("uploads", "ok.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ImageStore flaky = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                if (ref.key().startsWith("broken")) {
                    throw new IllegalStateException("Failed to read " + ref + ": connection refused");
                }
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return store.write(ref, content, contentType, meta);
            }
        };

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> function(flaky).apply(parse(event(record("ObjectCreated:Put", "uploads", "broken1.jpg"),
                    record("ObjectCreated:Put", "uploads", "ok.jpg"),
                    record("ObjectCreated:Put", "uploads", "broken2.jpg")))))
            .withMessageStartingWith("2 of 3 records failed")
            .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(metadata.find(new ObjectRef("uploads", "ok.jpg"))).hasValueSatisfying(
                record -> assertThat(record.status()).isEqualTo(Status.PROCESSED));
        assertThat(metadata.records()).hasSize(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aFailedRecordOfAKnownKindIsOneLineAndAnyOtherKeepsItsStackTrace(CapturedOutput output) {
        ImageStore failing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                if (ref.key().equals("throttled.jpg")) {
                    throw new ServiceFailureException("S3", "GetObject", Kind.THROTTLED, "SlowDown", "REQ-1",
                            "Failed to read " + ref + " (SlowDown): Please reduce your request rate", null);
                }
                throw new IllegalStateException("Failed to read " + ref + ": a defect");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> function(failing)
            .apply(parse(event(record("ObjectCreated:Put", "uploads", "throttled.jpg")))));
        String known = output.getOut();
        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> function(failing)
            .apply(parse(event(record("ObjectCreated:Put", "uploads", "broken.jpg")))));
        String other = output.getOut().substring(known.length());

        assertThat(known).contains("ERROR", "Failed to process s3://uploads/throttled.jpg: S3 GetObject failed, "
                + "throttled, error code SlowDown, request id REQ-1: Failed to read s3://uploads/throttled.jpg "
                + "(SlowDown): Please reduce your request rate")
            .doesNotContain("\tat ");
        assertThat(other).contains("ERROR", "Failed to process s3://uploads/broken.jpg",
                "java.lang.IllegalStateException: Failed to read s3://uploads/broken.jpg: a defect", "\tat ");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @ExtendWith(OutputCaptureExtension.class)
    void aServiceFailureGoesWithoutItsStackExactlyWhenTheHttpRoutesAnswerItsKind(Kind kind, CapturedOutput output) {
        ServiceFailureException failure = new ServiceFailureException("S3", "GetObject", kind, "SomeCode", "REQ-1",
                "Failed to read s3://uploads/a.jpg (SomeCode)", null);
        ImageStore failing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw failure;
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> function(failing)
            .apply(parse(event(record("ObjectCreated:Put", "uploads", "a.jpg")))));

        assertThat(output.getOut()).contains("ERROR", "Failed to process s3://uploads/a.jpg");
        assertThat(output.getOut().contains("\tat ")).as("stack trace in the log")
            .isEqualTo(ApiException.serviceFailure(failure).isEmpty());
    }

    /** A record the first delivery of the version S3Events.record names claimed a moment ago, its notification still outstanding. */
    private void claimedByAnotherDelivery(ObjectRef source) {
        store.write(source, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        metadata.save(ProcessedImage.processed(io.github.lambdaimageprocessor.processing.ImageObject.unread(source),
                io.github.lambdaimageprocessor.processing.ImageObject.unread(
                        new ObjectRef("processed", "thumbnails/" + source.key())),
                java.time.Instant.now())
            .withEvent(new EventInfo(new ObjectVersion(null, "abc", "00A"), "req-first")));
    }

    private S3EventFunction waitingFunction(java.time.Duration wait, S3EventFunction.Pause pause) {
        return new S3EventFunction(new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC()),
                "uploads", pool, Clock.systemUTC(), io.github.lambdaimageprocessor.processing.OutcomeMetrics.NONE, wait, pause);
    }

    @Test
    void aDuplicateWaitsForTheDeliveryAtWorkAndIsSkippedOnceThatOneHasNotified() {
        ObjectRef source = new ObjectRef("uploads", "twice.jpg");
        claimedByAnotherDelivery(source);
        List<java.time.Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the other delivery finishes during the second pause
        S3EventFunction function = waitingFunction(java.time.Duration.ofSeconds(10), pause -> {
            pauses.add(pause);
            if (pauses.size() == 2) {
                metadata.markNotified(source, new ObjectVersion(null, "abc", "00A"), java.time.Instant.now());
            }
        });

        List<ProcessedImage> results = function.apply(parse(event(record("ObjectCreated:Put", "uploads", "twice.jpg"))));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.SKIPPED);
            assertThat(result.reason()).startsWith("already processed");
        });
        assertThat(pauses).containsExactly(java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(500));
        assertThat(notifier.notifications()).isEmpty();
    }

    /**
     * Two deliveries of one event waiting for a third that is at work hold no worker of the pool (2 here, one per CPU
     * on a small machine) while they wait: an unrelated event posted meanwhile is processed at once, not after their
     * 10 s.
     */
    @Test
    void anUnrelatedEventIsProcessedAtOnceWhileTwoDuplicatesWaitForTheDeliveryAtWork() throws Exception {
        ObjectRef source = new ObjectRef("uploads", "twice.jpg");
        claimedByAnotherDelivery(source);
        store.write(new ObjectRef("uploads", "unrelated.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg",
                Map.of());
        java.util.concurrent.CountDownLatch bothWaiting = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch deliveryAtWorkDone = new java.util.concurrent.CountDownLatch(1);
        S3EventFunction function = waitingFunction(java.time.Duration.ofSeconds(10), pause -> {
            bothWaiting.countDown();
            deliveryAtWorkDone.await();
        });
        String duplicate = event(record("ObjectCreated:Put", "uploads", "twice.jpg"));
        // the requests' own threads, as Tomcat's
        ExecutorService requests = Executors.newFixedThreadPool(3);
        try {
            var one = requests.submit(() -> function.apply(parse(duplicate)));
            var two = requests.submit(() -> function.apply(parse(duplicate)));
            assertThat(bothWaiting.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            List<ProcessedImage> unrelated = requests
                .submit(() -> function.apply(parse(event(record("ObjectCreated:Put", "uploads", "unrelated.jpg")))))
                .get(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(unrelated).singleElement()
                .satisfies(result -> assertThat(result.status()).isEqualTo(Status.PROCESSED));
            metadata.markNotified(source, new ObjectVersion(null, "abc", "00A"), java.time.Instant.now());
            deliveryAtWorkDone.countDown();
            for (var duplicateDelivery : List.of(one, two)) {
                assertThat(duplicateDelivery.get(10, java.util.concurrent.TimeUnit.SECONDS)).singleElement()
                    .satisfies(result -> assertThat(result.reason()).startsWith("already processed"));
            }
        }
        finally {
            deliveryAtWorkDone.countDown();
            requests.shutdownNow();
        }
        assertThat(notifier.notifications()).extracting(image -> image.source().key()).containsExactly("unrelated.jpg");
    }

    @Test
    void aDuplicateWhoseOtherDeliveryDoesNotFinishInTimeFailsToBeRetried() {
        ObjectRef source = new ObjectRef("uploads", "stuck.jpg");
        claimedByAnotherDelivery(source);
        List<java.time.Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
        S3EventFunction function = waitingFunction(java.time.Duration.ofSeconds(10), pauses::add);

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> function.apply(parse(event(record("ObjectCreated:Put", "uploads", "stuck.jpg")))))
            .withCauseInstanceOf(io.github.lambdaimageprocessor.processing.DeliveryInProgressException.class);
        // 0.25 + 0.5 + 1 + 2 + 2 + 2 + 2 = 9.75 s: one more 2 s pause would pass the 10 s
        assertThat(pauses).extracting(java.time.Duration::toMillis).containsExactly(250L, 500L, 1000L, 2000L, 2000L,
                2000L, 2000L);
        assertThat(metadata.find(source).orElseThrow().notifiedAt()).isNull();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aDuplicateThatFailsWhileTheOtherDeliveryIsAtWorkAndAFullDiskAreOneLineEach(CapturedOutput output) {
        // given a duplicate whose other delivery is still at work, and a store whose disk is full
        ObjectRef source = new ObjectRef("uploads", "busy.jpg");
        claimedByAnotherDelivery(source);
        ImageStore full = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                throw new io.github.lambdaimageprocessor.processing.StorageUnavailableException(
                        io.github.lambdaimageprocessor.processing.StorageUnavailableException.Reason.OUT_OF_SPACE,
                        "Failed to write " + ref + ": the disk is full", new java.io.IOException("No space left"));
            }
        };
        store.write(new ObjectRef("uploads", "full.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        // when each fails
        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> waitingFunction(
                java.time.Duration.ZERO, pause -> { }).apply(parse(event(record("ObjectCreated:Put", "uploads",
                        "busy.jpg")))));
        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> function(full)
            .apply(parse(event(record("ObjectCreated:Put", "uploads", "full.jpg")))));

        // then each is one ERROR line that says what happened, without a stack trace
        assertThat(output.getOut()).contains("Failed to process s3://uploads/busy.jpg: ",
                "Failed to process s3://uploads/full.jpg: Failed to write s3://processed/thumbnails/full.jpg: the disk is full")
            .doesNotContain("\tat ");
    }

    @Test
    void withNoWaitADuplicateOfADeliveryAtWorkFailsAtOnce() {
        ObjectRef source = new ObjectRef("uploads", "at-once.jpg");
        claimedByAnotherDelivery(source);
        List<java.time.Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();
        S3EventFunction function = waitingFunction(java.time.Duration.ZERO, pauses::add);

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> function.apply(parse(event(record("ObjectCreated:Put", "uploads", "at-once.jpg")))))
            .withCauseInstanceOf(io.github.lambdaimageprocessor.processing.DeliveryInProgressException.class);
        assertThat(pauses).isEmpty();
    }
}
