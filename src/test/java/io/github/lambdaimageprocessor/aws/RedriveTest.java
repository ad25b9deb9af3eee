package io.github.lambdaimageprocessor.aws;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Redrive}'s reading of the queue when a run outlasts the visibility timeout, with a queue that answers from a
 * script (RedriveIT covers the rest against moto).
 */
class RedriveTest {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
        .build();

    private static final String NOT_JSON = "not json";

    private static SqsFailureQueue.FailedEvent message(String id, String body, int receipt) {
        return new SqsFailureQueue.FailedEvent(id, id + "-receipt-" + receipt, body);
    }

    private static String eventFor(String key) {
        return "{\"Records\":[{\"eventTime\":\"2026-12-04T10:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"uploads\"},\"object\":{\"key\":\"" + key + "\"}}}]}";
    }

    /** Receives answer from a script; what the run deletes, hides and releases is written down. */
    private static final class ScriptedQueue extends SqsFailureQueue {

        final Deque<List<FailedEvent>> receives = new ArrayDeque<>();

        final List<String> deleted = new ArrayList<>();

        final List<String> hidden = new ArrayList<>();

        final List<String> released = new ArrayList<>();

        ScriptedQueue() {
            super(null, "https://sqs.test/failures");
        }

        @Override
        List<FailedEvent> receive(int visibilitySeconds) {
            return receives.isEmpty() ? List.of() : receives.removeFirst();
        }

        @Override
        void delete(FailedEvent event) {
            deleted.add(event.messageId());
        }

        @Override
        void hide(FailedEvent event, int seconds) {
            hidden.add(event.receiptHandle() + " for " + seconds + " s");
        }

        final Set<String> expiredReceipts = new HashSet<>();

        @Override
        void release(FailedEvent event) {
            if (expiredReceipts.contains(event.receiptHandle())) {
                throw new AwsCallFailedException("SQS", "ChangeMessageVisibility",
                        "Failed to change the visibility of message " + event.messageId(),
                        software.amazon.awssdk.core.exception.SdkClientException.create("ReceiptHandleIsInvalid"));
            }
            released.add(event.receiptHandle());
        }

        @Override
        long remaining() {
            return released.size();
        }
    }

    private static Redrive.Summary run(ScriptedQueue queue) {
        Redrive redrive = new Redrive(queue, message -> List.of(ProcessedImage.skipped(ImageObject.unread(
                new ObjectRef("uploads", JSON.readTree(message.getPayload()).at("/Records/0/s3/object/key").asString())),
                "already processed", Instant.EPOCH)), 300, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        return redrive.run();
    }

    @Test
    void aKeptMessageComingBackAloneDoesNotEndTheRunWhileOthersWait() {
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("a", NOT_JSON, 1), message("b", eventFor("b.jpg"), 1)));
        // the run outlasted the visibility timeout: the kept message is back, on its own
        queue.receives.add(List.of(message("a", NOT_JSON, 2)));
        queue.receives.add(List.of(message("c", eventFor("c.jpg"), 1)));

        Redrive.Summary summary = run(queue);

        assertThat(queue.deleted).containsExactly("b", "c");
        assertThat(queue.hidden).containsExactly("a-receipt-2 for 300 s");
        assertThat(queue.released).as("released by its latest receipt").containsExactly("a-receipt-2");
        assertThat(summary.messages()).isEqualTo(3);
        assertThat(summary.unreadable()).isEqualTo(1);
        assertThat(summary.deleted()).isEqualTo(2);
    }

    @Test
    void onlyReturneesAgainAndAgainEndTheRunInsteadOfSpinning() {
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("a", NOT_JSON, 1)));
        for (int i = 2; i < 100; i++) {
            queue.receives.add(List.of(message("a", NOT_JSON, i)));
        }

        Redrive.Summary summary = run(queue);

        assertThat(queue.hidden).hasSize(3);
        assertThat(queue.released).containsExactly("a-receipt-4");
        assertThat(summary.messages()).isEqualTo(1);
    }

    @Test
    void thirtyKeptMessagesComingBackTogetherDoNotEndTheRunWhileOthersWait() {
        // given 30 poison messages read first (a long queue's first run, or those a previous run put back), then a
        // run longer than the visibility timeout: they all come back at once, ten a receive, before the message
        // behind them (moto, like SQS mostly, answers the oldest first)
        ScriptedQueue queue = new ScriptedQueue();
        for (int receipt = 1; receipt <= 2; receipt++) {
            for (int batch = 0; batch < 3; batch++) {
                List<SqsFailureQueue.FailedEvent> ten = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    ten.add(message("p" + (batch * 10 + i), NOT_JSON, receipt));
                }
                queue.receives.add(ten);
            }
        }
        queue.receives.add(List.of(message("z", eventFor("z.jpg"), 1)));

        Redrive.Summary summary = run(queue);

        // then the message behind them is replayed, not left unread
        assertThat(queue.deleted).containsExactly("z");
        assertThat(summary.messages()).isEqualTo(31);
        assertThat(queue.released).hasSize(30).allMatch(receipt -> receipt.endsWith("-receipt-2"));
    }

    @Test
    void stoppedMidwayItFinishesTheMessageAtHandAndPutsBackTheOnesNotTried() {
        // given Ctrl-C while the first of three messages is replayed
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("a", eventFor("a.jpg"), 1), message("b", eventFor("b.jpg"), 1),
                message("c", eventFor("c.jpg"), 1)));
        queue.receives.add(List.of(message("d", eventFor("d.jpg"), 1)));
        Redrive[] redrive = new Redrive[1];
        List<String> replayed = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        redrive[0] = new Redrive(queue, message -> {
            String key = JSON.readTree(message.getPayload()).at("/Records/0/s3/object/key").asString();
            replayed.add(key);
            try {
                redrive[0].stop(java.time.Duration.ZERO);
            }
            catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return List.of(ProcessedImage.skipped(ImageObject.unread(new ObjectRef("uploads", key)),
                    "already processed", Instant.EPOCH));
        }, 300, new PrintStream(printed, true, StandardCharsets.UTF_8));

        Redrive.Summary summary = redrive[0].run();

        // then the message at hand is done and deleted, the two not tried are visible again at once (not after the
        // visibility timeout), none is said to have failed, and nothing more is read
        assertThat(replayed).containsExactly("a.jpg");
        assertThat(queue.deleted).containsExactly("a");
        assertThat(queue.released).containsExactly("b-receipt-1", "c-receipt-1");
        assertThat(queue.receives).hasSize(1);
        assertThat(summary.messages()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("failed again")
            .contains("redrive: stopped before the end of the queue")
            .contains("redrive: 1 message read");
    }

    @Test
    void stopWaitsUntilTheRunHasPutItsMessagesBackAndPrintedItsSummary() throws Exception {
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("a", eventFor("a.jpg"), 1), message("b", NOT_JSON, 1)));
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(new Redrive(queue, message -> List.of(), 300, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).stop(java.time.Duration.ZERO)).as("a run not started has nothing to wait for")
            .isTrue();
        Redrive running = new Redrive(queue, message -> {
            inside.countDown();
            try {
                proceed.await();
            }
            catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return List.of(ProcessedImage.skipped(ImageObject.unread(new ObjectRef("uploads", "a.jpg")),
                    "already processed", Instant.EPOCH));
        }, 300, new PrintStream(printed, true, StandardCharsets.UTF_8));
        Thread run = new Thread(running::run);
        run.start();
        try {
            inside.await();
            assertThat(running.stop(java.time.Duration.ZERO)).as("still replaying").isFalse();
            proceed.countDown();

            assertThat(running.stop(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(queue.released).containsExactly("b-receipt-1");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("redrive: 1 message read");
        }
        finally {
            proceed.countDown();
            run.join(30_000);
        }
    }

    @Test
    void aRecordTheEventParserChokesOnIsKeptAsUnreadableNotACrash() {
        ScriptedQueue queue = new ScriptedQueue();
        String noEventTime = eventFor("d.jpg").replace("\"eventTime\":\"2026-12-04T10:00:00.000Z\",", "");
        queue.receives.add(List.of(message("d", noEventTime, 1), message("e", eventFor("e.jpg"), 1)));

        Redrive.Summary summary = run(queue);

        assertThat(summary.unreadable()).isEqualTo(1);
        assertThat(queue.deleted).containsExactly("e");
        assertThat(queue.released).containsExactly("d-receipt-1");
    }

    @Test
    void aKeptMessageThatCannotBeReleasedCostsNeitherTheOthersReleaseNorTheSummary() {
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("a", NOT_JSON, 1), message("b", NOT_JSON, 1), message("c", eventFor(
                "c.jpg"), 1)));
        queue.expiredReceipts.add("a-receipt-1");

        Redrive.Summary summary = run(queue);

        assertThat(queue.released).containsExactly("b-receipt-1");
        assertThat(queue.deleted).containsExactly("c");
        assertThat(summary.unreadable()).isEqualTo(2);
        assertThat(summary.deleted()).isEqualTo(1);
    }

    @Test
    void inTheStandbyRegionAMessageWhoseEventWasSkippedIsKeptNotDeleted() {
        // given a region that became the standby: its function skips every event
        ScriptedQueue queue = new ScriptedQueue();
        queue.receives.add(List.of(message("f", eventFor("f.jpg"), 1)));
        Redrive redrive = new Redrive(queue, message -> List.of(ProcessedImage.skipped(ImageObject.unread(
                new ObjectRef("uploads", "f.jpg")), "this region is the standby", Instant.EPOCH)),
                () -> java.util.Optional.of("this region (us-east-1) is the standby"), 300,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        Redrive.Summary summary = redrive.run();

        // then the upload it names, which may have failed while this region was active, is not lost
        assertThat(queue.deleted).isEmpty();
        assertThat(queue.released).containsExactly("f-receipt-1");
        assertThat(summary.succeeded()).isFalse();
    }

    @Test
    void aMessageWhoseEventNamesAnotherBucketThanTheConfiguredOneIsKeptNotDeleted() {
        // given the command run without UPLOAD_BUCKET (the default "uploads"), on a stack's queue, whose events name
        // the stack's upload bucket
        ScriptedQueue queue = new ScriptedQueue();
        String stackBucket = "image-uploads-123456789012-abcdef012345";
        queue.receives.add(List.of(message("g", eventFor("g.jpg").replace("\"name\":\"uploads\"",
                "\"name\":\"" + stackBucket + "\""), 1)));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            io.github.lambdaimageprocessor.function.S3EventFunction function = new io.github.lambdaimageprocessor
                .function.S3EventFunction(new io.github.lambdaimageprocessor.processing.ImageProcessor(
                    new io.github.lambdaimageprocessor.processing.InMemoryImageStore(),
                    new io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer(
                            io.github.lambdaimageprocessor.DefaultSettings.THUMBNAIL_SPEC),
                    new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(),
                    new io.github.lambdaimageprocessor.processing.RecordingNotifier(),
                    new io.github.lambdaimageprocessor.processing.OutputLocation("processed", "thumbnails/"),
                    50_000_000, java.time.Clock.systemUTC()), "uploads", pool, java.time.Clock.systemUTC());
            Redrive redrive = new Redrive(queue, function.fromEventJson(JSON), 300,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            Redrive.Summary summary = redrive.run();

            // then the upload it names is not lost: kept for a run given the right bucket, which it is told of
            assertThat(queue.deleted).isEmpty();
            assertThat(queue.released).containsExactly("g-receipt-1");
            assertThat(summary.succeeded()).isFalse();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("kept").contains("UPLOAD_BUCKET");
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCommandDoesNotStartInTheStandbyRegion() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> created = new ArrayList<>();
        RedriveCommand command = new RedriveCommand((url, visibility) -> {
            created.add(url);
            throw new AssertionError("no redrive may start");
        }, () -> java.util.Optional.of("this region (us-east-1) is the standby: the switch names eu-west-1"));

        int status = command.run(io.github.lambdaimageprocessor.cli.CommandArguments.parse(
                new String[] { "redrive", "--queue-url=https://sqs.test/failures" }, command.valueOptions(),
                command.flagOptions()), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(io.github.lambdaimageprocessor.cli.Command.FAILED);
        assertThat(created).isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("redrive: not started: this region")
            .contains("backfill the keys");
    }
}
