package io.github.lambdaimageprocessor.aws;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.S3EventFunction;
import io.github.lambdaimageprocessor.function.S3EventShape;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Status;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Replays the failure queue: each message is the record Lambda wrote for an asynchronous invocation that failed every
 * retry (or grew too old); its {@code requestPayload} is the original S3 event, which goes through the same
 * {@code processImage} function again. The core is idempotent, so records that had succeeded before are SKIPPED and
 * nothing is made or notified twice. A message is deleted only once its whole event succeeded; one that fails again,
 * or cannot be read as an S3 event, stays in the queue (made visible again at the end) and counts as failed.
 *
 * <p>In a two-region pair the standby region processes nothing: its function skips every event. A message whose event
 * came back skipped while this region is the standby is therefore kept, not deleted (the {@code redrive} command does
 * not even start there): it may be an upload that failed while this region was active, which nobody else will make.
 */
class Redrive {

    /** What a run did, counted per S3 record except {@code unreadable} and {@code deleted} (messages). */
    record Summary(int messages, int processed, int rejected, int skipped, int failed, int unreadable, int deleted,
            long remaining) {

        boolean succeeded() {
            return failed == 0 && unreadable == 0;
        }

        @Override
        public String toString() {
            return messages + (messages == 1 ? " message read: " : " messages read: ") + processed + " processed, "
                    + rejected + " rejected, " + skipped + " skipped, " + failed + " failed, " + unreadable
                    + " unreadable; " + deleted + " deleted, " + remaining + " remaining in the queue";
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqsFailureQueue queue;

    private final Function<Message<byte[]>, List<ProcessedImage>> processImage;

    private final Supplier<Optional<String>> standbyReason;

    private final int visibilitySeconds;

    private final PrintStream out;

    /** Set by {@link #stop}: the run ends after the message it is replaying. */
    private volatile boolean stopRequested;

    private volatile boolean started;

    /** Open until the run has put back what it kept and printed its summary. */
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * @param visibilitySeconds how long a message being replayed stays hidden from other readers (and from this
     *        run's later receives); longer than replaying one event takes
     * @param out where progress and the summary are printed
     */
    Redrive(SqsFailureQueue queue, Function<Message<byte[]>, List<ProcessedImage>> processImage,
            int visibilitySeconds, PrintStream out) {
        this(queue, processImage, Optional::empty, visibilitySeconds, out);
    }

    /** @param standbyReason why this region is the standby of a pair, if it is ({@code ImageProcessor}'s gate) */
    Redrive(SqsFailureQueue queue, Function<Message<byte[]>, List<ProcessedImage>> processImage,
            Supplier<Optional<String>> standbyReason, int visibilitySeconds, PrintStream out) {
        this.queue = queue;
        this.processImage = processImage;
        this.standbyReason = standbyReason;
        this.visibilitySeconds = visibilitySeconds;
        this.out = out;
    }

    /**
     * Asks the run to end after the message it is replaying, and waits up to {@code patience} for it to put back the
     * messages it kept or has not replayed yet and to print its summary. For a JVM that is shutting down (Ctrl-C):
     * called before the application closes the SQS client and the function's executor, which the run needs to end
     * cleanly.
     *
     * @return whether the run has ended (or never started)
     */
    boolean stop(Duration patience) throws InterruptedException {
        stopRequested = true;
        return !started || ended.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    Summary run() {
        started = true;
        try {
            return read();
        }
        finally {
            ended.countDown();
        }
    }

    private Summary read() {
        int messages = 0;
        int processed = 0;
        int rejected = 0;
        int skipped = 0;
        int failed = 0;
        int unreadable = 0;
        int deleted = 0;
        Set<String> seen = new HashSet<>();
        List<SqsFailureQueue.FailedEvent> kept = new ArrayList<>();
        boolean stopped = false;
        out.println("redrive: reading " + queue.url());
        try {
            int batchesOfReturnees = 0;
            // the kept messages that came back since the last receive that brought a fresh one
            Set<String> returned = new HashSet<>();
            boolean cameBackTwice = false;
            reading: while (true) {
                if (stopRequested) {
                    stopped = true;
                    break;
                }
                List<SqsFailureQueue.FailedEvent> batch = queue.receive(visibilitySeconds);
                if (batch.isEmpty()) {
                    break;
                }
                List<SqsFailureQueue.FailedEvent> fresh = new ArrayList<>();
                for (SqsFailureQueue.FailedEvent message : batch) {
                    if (seen.add(message.messageId())) {
                        fresh.add(message);
                    }
                    else {
                        // kept earlier and back because its visibility ran out (a run longer than the timeout): this
                        // run is done with it, so hide it again (with its new receipt handle) and read on, as unseen
                        // messages may still be behind it
                        queue.hide(message, visibilitySeconds);
                        kept.removeIf(earlier -> earlier.messageId().equals(message.messageId()));
                        kept.add(message);
                        cameBackTwice |= !returned.add(message.messageId());
                    }
                }
                if (!fresh.isEmpty()) {
                    returned.clear();
                    cameBackTwice = false;
                }
                // only returnees, again and again, one of them twice although each was hidden again: the timeout is
                // shorter than a receive; stop rather than spin. Many kept messages coming back at once take several
                // receives of ten to pass, with unseen ones still behind them
                batchesOfReturnees = fresh.isEmpty() ? batchesOfReturnees + 1 : 0;
                if (batchesOfReturnees >= 3 && cameBackTwice) {
                    break;
                }
                for (int next = 0; next < fresh.size(); next++) {
                    if (stopRequested) {
                        // not tried: back in the queue with the others, for the next run
                        kept.addAll(fresh.subList(next, fresh.size()));
                        stopped = true;
                        break reading;
                    }
                    SqsFailureQueue.FailedEvent message = fresh.get(next);
                    messages++;
                    String label = "message " + messages + " (" + message.messageId() + ")";
                    JsonNode event;
                    try {
                        event = s3EventOf(message.body());
                    }
                    catch (IllegalArgumentException e) {
                        unreadable++;
                        kept.add(message);
                        out.println("redrive: " + label + " kept, not an S3 event: " + e.getMessage());
                        continue;
                    }
                    try {
                        // uncounted: the function's metrics are Lambda's, and would only clutter an operator's terminal
                        List<ProcessedImage> results = processImage.apply(MessageBuilder
                            .withPayload(JSON.writeValueAsBytes(event))
                            .setHeader(S3EventFunction.UNCOUNTED, true)
                            .build());
                        Optional<String> standby = results.stream().anyMatch(r -> r.status() == Status.SKIPPED)
                                ? standbyReason.get() : Optional.empty();
                        if (standby.isPresent()) {
                            failed += results.size();
                            kept.add(message);
                            out.println("redrive: " + label + " kept, not replayed: " + standby.get());
                            continue;
                        }
                        Optional<ProcessedImage> elsewhere = results.stream()
                            .filter(S3EventFunction::namesAnotherBucket)
                            .findFirst();
                        if (elsewhere.isPresent()) {
                            // the queue's events name the stack's upload bucket: one the command was not given
                            // (UPLOAD_BUCKET left out, so the default) rejects them all, and deleting them would lose
                            // every upload they name
                            failed += results.size();
                            kept.add(message);
                            out.println("redrive: " + label + " kept, not replayed: " + elsewhere.get().reason()
                                    + "; give the command the stack's upload bucket (UPLOAD_BUCKET)");
                            continue;
                        }
                        for (ProcessedImage result : results) {
                            switch (result.status()) {
                                case PROCESSED -> processed++;
                                case REJECTED -> rejected++;
                                case SKIPPED -> skipped++;
                            }
                            out.println("redrive: " + label + " s3://" + result.source().bucket() + "/"
                                    + result.source().key() + " " + result.status()
                                    + (result.reason() == null ? "" : ": " + result.reason()));
                        }
                        queue.delete(message);
                        deleted++;
                        out.println("redrive: " + label + " deleted");
                    }
                    catch (RecordsFailedException e) {
                        failed += e.failed();
                        kept.add(message);
                        out.println("redrive: " + label + " kept, failed again: " + e.getMessage());
                    }
                    catch (RuntimeException e) {
                        failed += Math.max(1, event.path("Records").size());
                        kept.add(message);
                        out.println("redrive: " + label + " kept, failed again: " + e.getMessage());
                    }
                }
            }
        }
        finally {
            // visible again now rather than after the visibility timeout: a second run (after a fix) sees them at
            // once, also when the run ends on an error (a queue that cannot be read any more)
            for (SqsFailureQueue.FailedEvent message : kept) {
                try {
                    queue.release(message);
                }
                catch (RuntimeException e) {
                    // a receipt that expired in a long run: the message is visible again after its timeout anyway,
                    // and the other kept messages and the summary are not lost for it
                    out.println("redrive: message " + message.messageId() + " stays hidden until its visibility "
                            + "timeout ends: " + e.getMessage());
                }
            }
        }
        if (stopped) {
            out.println("redrive: stopped before the end of the queue; the messages not replayed are back in it");
        }
        Summary summary = new Summary(messages, processed, rejected, skipped, failed, unreadable, deleted,
                queue.remaining());
        out.println("redrive: " + summary);
        return summary;
    }

    /**
     * The S3 event of a failure-queue message: a Lambda invocation record ({@code requestPayload}), or an S3 event
     * itself (a queue fed by S3 directly).
     *
     * @throws IllegalArgumentException with the reason when the body holds neither
     */
    static JsonNode s3EventOf(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        JsonNode event = root != null && root.has("requestPayload") ? root.get("requestPayload") : root;
        if (event == null || !event.isObject() || !event.path("Records").isArray() || event.path("Records").isEmpty()) {
            throw new IllegalArgumentException(root != null && root.has("requestContext")
                    ? "its requestPayload has no S3 \"Records\" (Lambda leaves it out of records over 256 KB)"
                    : "neither a Lambda invocation record with a requestPayload nor an S3 event with \"Records\"");
        }
        // what the Lambda event parser would refuse, said here, so the message counts as unreadable, not as failed
        String problem = S3EventShape.problem(event, "its event");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return event;
    }

}
