package io.github.lambdaimageprocessor.function;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The {@code backfillImages} function with in-memory fakes: request shapes, key decoding and result codes. */
class S3BatchFunctionTest {

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private S3BatchFunction function(ImageStore imageStore) {
        return new S3BatchFunction(new ImageProcessor(imageStore,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata, notifier,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC()), "uploads");
    }

    private final S3BatchFunction function = function(store);

    private static S3BatchRequest.Task v1(String id, String key) {
        return new S3BatchRequest.Task(id, key, null, "arn:aws:s3:::uploads", null);
    }

    private static S3BatchRequest.Task v2(String id, String key) {
        return new S3BatchRequest.Task(id, key, null, null, "uploads");
    }

    private static S3BatchRequest request(String version, Map<String, String> userArguments,
            S3BatchRequest.Task... tasks) {
        return new S3BatchRequest(version, "invocation-1", new S3BatchRequest.Job("job-1", userArguments),
                List.of(tasks));
    }

    @Test
    void bothSchemasNameTheBucketTheirWayAndKeysAreUrlDecoded() {
        store.write(new ObjectRef("uploads", "photos/my photo(1).jpg"), TestImages.bytes(TestImages.SMALL),
                "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "café €/a+b.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg",
                Map.of());

        S3BatchResponse v1 = function.apply(request("1.0", null, v1("t1", "photos/my+photo%281%29.jpg")), null);
        S3BatchResponse v2 = function.apply(request("2.0", Map.of(), v2("t2", "caf%C3%A9+%E2%82%AC/a%2Bb.jpg")),
                null);

        assertThat(v1.invocationSchemaVersion()).isEqualTo("1.0");
        assertThat(v1.invocationId()).isEqualTo("invocation-1");
        assertThat(v1.treatMissingKeysAs()).isEqualTo("PermanentFailure");
        assertThat(v1.results()).singleElement().satisfies(result -> {
            assertThat(result.taskId()).isEqualTo("t1");
            assertThat(result.resultCode()).isEqualTo("Succeeded");
            assertThat(result.resultString()).isEqualTo("processed: 16x16 thumbnail s3://processed/thumbnails/photos/my photo(1).jpg");
        });
        assertThat(v2.invocationSchemaVersion()).isEqualTo("2.0");
        assertThat(v2.results()).singleElement().satisfies(result -> {
            assertThat(result.resultCode()).isEqualTo("Succeeded");
            assertThat(result.resultString()).contains("thumbnails/café €/a+b.jpg");
        });
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void eachTaskGetsTheResultCodeOfItsOutcome() {
        store.write(new ObjectRef("uploads", "done.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "notes.jpg"), "text".getBytes(), "text/plain", Map.of());
        function.apply(request("2.0", null, v2("first", "done.jpg")), null);

        S3BatchResponse response = function.apply(request("2.0", null, v2("again", "done.jpg"),
                v2("bad", "notes.jpg"), v2("gone", "never-uploaded.jpg"),
                new S3BatchRequest.Task("nobucket", "x.jpg", null, "not-an-arn", null),
                v2("badkey", "broken%E.jpg"), v2("longkey", "k".repeat(3000))), null);

        assertThat(response.results()).extracting(S3BatchResponse.Result::taskId)
            .containsExactly("again", "bad", "gone", "nobucket", "badkey", "longkey");
        assertThat(response.results()).extracting(S3BatchResponse.Result::resultCode)
            .containsExactly("Succeeded", "PermanentFailure", "PermanentFailure", "PermanentFailure",
                    "PermanentFailure", "PermanentFailure");
        assertThat(response.results().get(0).resultString()).startsWith("already done: up to date");
        assertThat(response.results().get(1).resultString()).startsWith("rejected: not a JPEG");
        assertThat(response.results().get(2).resultString()).isEqualTo("no such object: uploads/never-uploaded.jpg");
        assertThat(response.results().get(3).resultString()).contains("task names no bucket");
        assertThat(response.results().get(4).resultString()).contains("not URL-encoded");
        // no object has a key S3 would not take: on DynamoDB its record's save failed the task as temporary
        assertThat(response.results().get(5).resultString())
            .endsWith("(3000 bytes) is longer than S3's limit of 1024 bytes");
        assertThat(metadata.find(new ObjectRef("uploads", "k".repeat(3000)))).isEmpty();
    }

    @Test
    void aFileRejectedBeforeFailsPermanentlyWithItsReasonInEveryJobNotOnlyTheFirst() {
        store.write(new ObjectRef("uploads", "notes.jpg"), "text".getBytes(), "text/plain", Map.of());
        S3BatchResponse first = function.apply(request("2.0", null, v2("t1", "notes.jpg")), null);

        // the same task run again by its job (after a timeout), and the task of a later job over the same bucket
        S3BatchResponse retried = function.apply(request("2.0", null, v2("t1", "notes.jpg")), null);
        S3BatchResponse laterJob = function.apply(new S3BatchRequest("1.0", "inv-2",
                new S3BatchRequest.Job("job-2", null), List.of(v1("t9", "notes.jpg"))), null);

        assertThat(first.results().get(0).resultCode()).isEqualTo("PermanentFailure");
        for (S3BatchResponse again : List.of(retried, laterJob)) {
            assertThat(again.results().get(0).resultCode()).isEqualTo("PermanentFailure");
            assertThat(again.results().get(0).resultString()).startsWith("rejected: not a JPEG");
        }
        assertThat(metadata.records()).hasSize(1);
    }

    @Test
    void aTaskOfAnotherBucketFailsPermanentlyUnreadAndLeavesTheUploadsThumbnailAlone() {
        store.write(new ObjectRef("uploads", "photo.jpg"), TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());
        store.write(new ObjectRef("other", "photo.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        function.apply(request("2.0", null, v2("t0", "photo.jpg")), null);
        ObjectRef thumbnail = new ObjectRef("processed", "thumbnails/photo.jpg");
        byte[] uploadsThumbnail = store.objects().get(thumbnail).content();

        S3BatchResponse response = function.apply(request("1.0", null,
                new S3BatchRequest.Task("t1", "photo.jpg", null, "arn:aws:s3:::other", null),
                new S3BatchRequest.Task("t2", "thumbnails/photo.jpg", null, "arn:aws:s3:::processed", null)), null);

        assertThat(response.results()).extracting(S3BatchResponse.Result::resultCode)
            .containsExactly("PermanentFailure", "Succeeded");
        assertThat(response.results().getFirst().resultString()).isEqualTo("task names bucket other, not the upload "
                + "bucket uploads (image-processor.upload-bucket) that this function makes thumbnails for");
        assertThat(response.results().get(1).resultString()).startsWith("already done: an output of this function");
        assertThat(store.objects().get(thumbnail).content()).isEqualTo(uploadsThumbnail);
        assertThat(metadata.find(new ObjectRef("other", "photo.jpg"))).isEmpty();
    }

    @Test
    void inTheStandbyRegionEveryTaskFailsPermanentlySayingWhereToRunTheJob() {
        store.write(new ObjectRef("uploads", "photo.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3BatchFunction standby = new S3BatchFunction(new ImageProcessor(store,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata, notifier,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC(),
                StandbyGate.on("eu-west-1", "us-east-1", () -> "us-east-1")), "uploads");

        S3BatchResponse response = standby.apply(request("2.0", null, v2("t1", "photo.jpg")), null);

        assertThat(response.results()).singleElement().satisfies(result -> {
            assertThat(result.resultCode()).isEqualTo("PermanentFailure");
            assertThat(result.resultString()).startsWith("not here: this region (eu-west-1) is the standby")
                .endsWith("; run the job in the active region");
        });
        assertThat(metadata.records()).isEmpty();
        assertThat(store.objects()).doesNotContainKey(new ObjectRef("processed", "thumbnails/photo.jpg"));
    }

    @Test
    void anInfrastructureFailureIsATemporaryFailureAndAnArchivedObjectAPermanentOne() {
        ImageStore failing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                if (ref.key().startsWith("cold/")) {
                    throw new io.github.lambdaimageprocessor.processing.ObjectArchivedException(ref,
                            "The operation is not valid for the object's storage class");
                }
                throw new IllegalStateException("Failed to read " + ref + " (SlowDown): Please reduce your request rate");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("nothing is written");
            }
        };

        S3BatchResponse response = function(failing).apply(request("1.0", null, v1("busy", "a.jpg"),
                v1("cold", "cold/b.jpg")), "request-1");

        assertThat(response.results()).extracting(S3BatchResponse.Result::resultCode)
            .containsExactly("TemporaryFailure", "PermanentFailure");
        assertThat(response.results().get(0).resultString()).contains("SlowDown");
        assertThat(response.results().get(1).resultString()).startsWith("archived: ").contains("restored");
    }

    @Test
    void userArgumentsForceAndNotify() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        function.apply(request("2.0", null, v2("1", "a.jpg")), null);

        // another job than the one that made the record: a job's own record is not remade again for force
        S3BatchResponse forced = function.apply(job("job-2", Map.of("force", "true", "notify", "TRUE"),
                v2("2", "a.jpg")), null);
        S3BatchResponse wrong = function.apply(request("2.0", Map.of("force", "yes"), v2("3", "a.jpg")), null);

        assertThat(forced.results().getFirst().resultString()).startsWith("processed:");
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(wrong.results()).singleElement().satisfies(result -> {
            assertThat(result.resultCode()).isEqualTo("PermanentFailure");
            assertThat(result.resultString()).isEqualTo("job.userArguments.force must be true or false, got 'yes'");
        });
    }

    /** A notifier whose next {@code failures} publishes fail, as SNS does when it throttles; then it records. */
    private io.github.lambdaimageprocessor.processing.Notifier failingFor(int failures) {
        int[] left = { failures };
        return image -> {
            if (left[0]-- > 0) {
                throw new IllegalStateException("Failed to publish to SNS (Throttling): Rate exceeded");
            }
            notifier.imageProcessed(image);
        };
    }

    private S3BatchFunction function(io.github.lambdaimageprocessor.processing.Notifier publisher, Clock clock) {
        return function(metadata, publisher, clock);
    }

    private S3BatchFunction function(io.github.lambdaimageprocessor.processing.MetadataRepository records,
            io.github.lambdaimageprocessor.processing.Notifier publisher, Clock clock) {
        return new S3BatchFunction(new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                records, publisher, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock), "uploads");
    }

    private static S3BatchRequest job(String jobId, Map<String, String> userArguments, S3BatchRequest.Task task) {
        return new S3BatchRequest("2.0", "invocation-of-" + jobId, new S3BatchRequest.Job(jobId, userArguments),
                List.of(task));
    }

    @Test
    void aNotifyingTaskRetriedAfterItsNotificationFailedSendsItRatherThanSucceedWithoutIt() {
        // given a notifying job whose task made the thumbnail and record, and then SNS throttled it
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3BatchFunction throttled = function(failingFor(1), Clock.systemUTC());
        S3BatchRequest request = job("job-1", Map.of("notify", "true"), v2("t1", "a.jpg"));
        assertThat(throttled.apply(request, null).results().getFirst().resultCode()).isEqualTo("TemporaryFailure");

        // when S3 Batch Operations retries the task
        S3BatchResponse retry = throttled.apply(request, null);

        // then the retry sends the notification the job owes, once
        assertThat(retry.results().getFirst().resultCode()).isEqualTo("Succeeded");
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.find(new ObjectRef("uploads", "a.jpg")).orElseThrow().notifiedAt()).isNotNull();
        // and a task run once more (its response lost) finds nothing left to do
        assertThat(throttled.apply(request, null).results().getFirst().resultString()).startsWith("already done");
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aForcedNotifyingTaskRunAgainByItsJobNotifiesOnceButANewForcedJobRemakesAndNotifiesAgain() {
        // given a forced, notifying job whose task did all its work, and whose invocation S3 Batch Operations then
        // saw fail (a timeout after the work, a lost response): it runs the task again
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        Map<String, String> forceAndNotify = Map.of("force", "true", "notify", "true");
        S3BatchResponse first = function.apply(job("job-1", forceAndNotify, v2("t1", "a.jpg")), null);
        ObjectRef thumbnail = new ObjectRef("processed", "thumbnails/a.jpg");
        StoredObject made = store.read(thumbnail).orElseThrow();

        S3BatchResponse again = function.apply(job("job-1", forceAndNotify, v2("t1", "a.jpg")), null);

        // then the retry finds its own job's work done: one thumbnail, one notification
        assertThat(first.results().getFirst().resultString()).startsWith("processed:");
        assertThat(again.results().getFirst().resultCode()).isEqualTo("Succeeded");
        assertThat(again.results().getFirst().resultString()).startsWith("already done");
        assertThat(store.read(thumbnail).orElseThrow()).isSameAs(made);
        assertThat(notifier.notifications()).hasSize(1);

        // and a new forced job is what force means: remade and notified again
        S3BatchResponse next = function.apply(job("job-2", forceAndNotify, v2("t1", "a.jpg")), null);
        assertThat(next.results().getFirst().resultString()).startsWith("processed:");
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void aTaskThatTookOverALapsedUploadClaimAndThenFailedIsNotReportedDoneByItsRetry() {
        // given an upload whose delivery claimed its record, made the thumbnail and died before notifying
        ObjectRef photo = new ObjectRef("uploads", "a.jpg");
        String eTag = store.write(photo, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        io.github.lambdaimageprocessor.processing.MutableClock clock = new io.github.lambdaimageprocessor.processing.MutableClock(
                java.time.Instant.parse("2026-12-03T10:00:00Z"));
        ImageProcessor dying = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, failingFor(1), new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
        io.github.lambdaimageprocessor.processing.UploadEvent event = new io.github.lambdaimageprocessor.processing.UploadEvent(
                photo, null, new io.github.lambdaimageprocessor.processing.ObjectVersion(null, eTag,
                        "0A1B2C3D4E5F678901"), null);
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> dying.process(event));
        // and a job, after the claim's lease, that takes the claim over and is throttled by SNS in its turn, with
        // DynamoDB throttled too, so its claim is not given back (as after a timed-out invocation)
        clock.advance(ImageProcessor.CLAIM_LEASE);
        io.github.lambdaimageprocessor.processing.MetadataRepository throttledRecords =
                new io.github.lambdaimageprocessor.processing.DelegatingMetadataRepository(metadata) {
                    @Override
                    public boolean release(io.github.lambdaimageprocessor.processing.ProcessedImage claim,
                            java.time.Instant lapsedAt) {
                        throw new IllegalStateException("DynamoDB: ProvisionedThroughputExceededException");
                    }
                };
        S3BatchRequest request = job("job-1", Map.of(), v2("t1", "a.jpg"));
        assertThat(function(throttledRecords, failingFor(1), clock).apply(request, null).results().getFirst()
            .resultCode()).isEqualTo("TemporaryFailure");
        S3BatchFunction rerun = function(failingFor(0), clock);

        // when S3 Batch Operations retries the task a few seconds later
        clock.advance(java.time.Duration.ofSeconds(5));
        S3BatchResponse retry = rerun.apply(request, null);

        // then the retry does not take its own claim for a delivery at work: it sends the upload's one notification
        assertThat(retry.results().getFirst().resultCode()).isEqualTo("Succeeded");
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.find(photo).orElseThrow().notifiedAt()).isNotNull();
    }

    @Test
    void aSchemaItDoesNotReadOrAnOverlongArgumentFailsEachTaskWithAShortReason() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());

        S3BatchResponse unknown = function.apply(request("9.9", null, v2("1", "a.jpg"), v2("2", "a.jpg")), null);
        S3BatchResponse absent = function.apply(request(null, null, v2("3", "a.jpg")), null);
        S3BatchResponse overlong = function.apply(request("2.0", Map.of("force", "y".repeat(2000)), v2("4", "a.jpg")),
                null);

        assertThat(unknown.results()).hasSize(2).allSatisfy(result -> {
            assertThat(result.resultCode()).isEqualTo("PermanentFailure");
            assertThat(result.resultString())
                .isEqualTo("invocationSchemaVersion '9.9' is not one this function reads (1.0, 2.0)");
        });
        assertThat(absent.results().getFirst().resultCode()).isEqualTo("PermanentFailure");
        assertThat(overlong.results().getFirst().resultString()).hasSize(S3BatchFunction.MAX_RESULT_STRING);
        assertThat(store.objects().keySet()).as("nothing made").containsExactly(new ObjectRef("uploads", "a.jpg"));
    }

    @Test
    void aRequestWithoutTasksIsAnError() {
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> function.apply(request("2.0", null), null))
            .withMessageContaining("tasks");
    }
}
