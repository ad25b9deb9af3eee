package io.github.lambdaimageprocessor.function;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnusableException;
import io.github.lambdaimageprocessor.processing.Causes;
import io.github.lambdaimageprocessor.processing.DeliveryInProgressException;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutcomeMetrics;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;

/**
 * The {@code processImage} function: one {@link ProcessedImage} per S3 record, in record order.
 *
 * <p>It takes the event as a {@link Message} because on Lambda the {@code FunctionInvoker} puts the Lambda
 * {@link Context} into the {@code aws-context} header, and the invocation's request id is what ties a record and its
 * log lines to one Lambda run. Over HTTP the header is absent and the request id unknown.
 *
 * <p>Records are processed in parallel on a bounded executor; results keep record order. A record that fails for an
 * infrastructure reason does not stop the others; once every record was attempted the failures are thrown together,
 * so Lambda retries the event (records already done are repeated, and overwrite their own results).
 *
 * <p>A record whose version another delivery has claimed and not yet notified (S3 delivering one event twice at once)
 * waits for that delivery, looking again after 0.25, 0.5, 1, then every 2 s, for up to {@code inProgressWait}: the
 * other delivery is usually done within a second or two, and the record is then {@code SKIPPED}. Only when it is not
 * does the record fail, to be retried by Lambda a minute later; failing at once would count a Lambda error and set off
 * the errors alarm for a duplicate that needs nothing. The waiting holds no worker of the executor, so other records
 * and events go on meanwhile.
 *
 * <p>Each invocation's outcomes, times and sizes go to {@link OutcomeMetrics} as one batch, published before the
 * function returns or throws (what Lambda has not seen by then may be frozen with the environment and lost).
 */
public class S3EventFunction implements Function<Message<S3Event>, List<ProcessedImage>> {

    /** MDC keys, shown as fields of every JSON log line written while a record is processed. */
    static final String REQUEST_ID = "requestId";

    static final String OBJECT_KEY = "objectKey";

    /**
     * Message header marking an invocation that is not Lambda's (SnapStart priming, a replay from an operator's
     * machine): it is processed like any other but counted in no metric.
     */
    public static final String UNCOUNTED = "lambda-image-processor-uncounted";

    /** How the reason of a record REJECTED for naming another bucket than the upload bucket begins. */
    private static final String ANOTHER_BUCKET = "the event names bucket ";

    /**
     * Whether this result is a record REJECTED unread for naming another bucket than the upload bucket: a
     * misconfiguration of whoever runs the function (a redrive without {@code UPLOAD_BUCKET}) as often as a stray
     * event, so a replay keeps the event rather than take it as done.
     */
    public static boolean namesAnotherBucket(ProcessedImage result) {
        return result.status() == Status.REJECTED && result.reason() != null
                && result.reason().startsWith(ANOTHER_BUCKET);
    }

    private static final Logger log = LoggerFactory.getLogger(S3EventFunction.class);

    private static final Duration FIRST_LOOK_AGAIN = Duration.ofMillis(250);

    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    /** Waits between two looks at a record another delivery is working on; {@code Thread::sleep} but in tests. */
    @FunctionalInterface
    interface Pause {

        void sleep(Duration duration) throws InterruptedException;
    }

    private final ImageProcessor processor;

    /** The bucket whose uploads this function makes thumbnails of: S3 notifies it of that bucket only. */
    private final String uploadBucket;

    private final Executor executor;

    private final Clock clock;

    private final OutcomeMetrics metrics;

    private final Duration inProgressWait;

    private final Pause pause;

    /** A function whose records fail at once when another delivery of their version is at work. */
    public S3EventFunction(ImageProcessor processor, String uploadBucket, Executor executor, Clock clock) {
        this(processor, uploadBucket, executor, clock, OutcomeMetrics.NONE, Duration.ZERO);
    }

    /** A function whose records fail at once when another delivery of their version is at work. */
    public S3EventFunction(ImageProcessor processor, String uploadBucket, Executor executor, Clock clock,
            OutcomeMetrics metrics) {
        this(processor, uploadBucket, executor, clock, metrics, Duration.ZERO);
    }

    /**
     * @param uploadBucket the bucket uploads arrive in ({@code image-processor.upload-bucket}): a record naming another
     *        is REJECTED unread, but for the processed bucket, whose objects the processor skips as its own output
     * @param inProgressWait how long a record waits for another delivery of its version that is at work before it
     *        fails to be retried; zero fails at once
     */
    public S3EventFunction(ImageProcessor processor, String uploadBucket, Executor executor, Clock clock,
            OutcomeMetrics metrics, Duration inProgressWait) {
        this(processor, uploadBucket, executor, clock, metrics, inProgressWait, duration -> Thread.sleep(duration));
    }

    S3EventFunction(ImageProcessor processor, String uploadBucket, Executor executor, Clock clock,
            OutcomeMetrics metrics, Duration inProgressWait, Pause pause) {
        this.processor = processor;
        this.uploadBucket = Objects.requireNonNull(uploadBucket, "uploadBucket");
        this.executor = executor;
        this.clock = clock;
        this.metrics = metrics;
        this.inProgressWait = inProgressWait;
        this.pause = pause;
    }

    /**
     * This function as Lambda's handler and the web route call it: on the event's JSON, read by
     * {@link S3EventReader}. Given the event model as its input type, Spring Cloud Function reads an event that is a
     * JSON array (or that names a {@code payload} header) as a batch, and calls the function once per element: an
     * empty array answered {@code "OK"} having processed nothing, and a {@code payload} header replaced the event. A
     * byte array it leaves whole.
     */
    public Function<Message<byte[]>, List<ProcessedImage>> fromEventJson(JsonMapper json) {
        S3EventReader events = new S3EventReader(json);
        return message -> apply(MessageBuilder.withPayload(events.read(EventJson.of(message)))
            .copyHeaders(message.getHeaders())
            .build());
    }

    @Override
    public List<ProcessedImage> apply(Message<S3Event> message) {
        String requestId = message.getHeaders().get(AWSLambdaUtils.AWS_CONTEXT) instanceof Context context
                ? context.getAwsRequestId() : null;
        boolean counted = !Boolean.TRUE.equals(message.getHeaders().get(UNCOUNTED));
        return apply(message.getPayload(), requestId, counted ? metrics : OutcomeMetrics.NONE);
    }

    /**
     * Processes every record of the event.
     *
     * @param requestId the Lambda request id, or null when not invoked by Lambda
     */
    List<ProcessedImage> apply(S3Event event, String requestId) {
        return apply(event, requestId, metrics);
    }

    private List<ProcessedImage> apply(S3Event event, String requestId, OutcomeMetrics counting) {
        try (OutcomeMetrics.Batch batch = counting.start(requestId)) {
            return apply(event, requestId, batch);
        }
    }

    private List<ProcessedImage> apply(S3Event event, String requestId, OutcomeMetrics.Batch batch) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
            throw new IllegalArgumentException("Not an S3 event: it has no \"Records\"");
        }
        List<S3EventNotificationRecord> records = event.getRecords();
        Set<Integer> overtaken = overtakenWithinEvent(records);
        List<CompletableFuture<ProcessedImage>> pending = IntStream.range(0, records.size())
            .mapToObj(i -> overtaken.contains(i)
                    ? CompletableFuture.completedFuture(overtakenLogged(records.get(i), batch))
                    : processLogged(records.get(i), requestId, batch))
            .toList();
        List<ProcessedImage> results = new ArrayList<>(records.size());
        List<RuntimeException> failures = new ArrayList<>();
        for (CompletableFuture<ProcessedImage> result : pending) {
            try {
                results.add(result.join());
            }
            catch (CompletionException e) {
                failures.add(e.getCause() instanceof RuntimeException cause ? cause : e);
            }
        }
        if (!failures.isEmpty()) {
            RecordsFailedException failure = new RecordsFailedException(failures.size(), records.size(),
                    failures.getFirst());
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
        return results;
    }

    /**
     * The object-created records whose object another record of the same event names in a later version, or in the
     * same one further up. S3 sends one record per event; a hand-made event may name one object hundreds of times,
     * and only its latest version decides the record and thumbnail, so only that one is read and resized.
     */
    private static Set<Integer> overtakenWithinEvent(List<S3EventNotificationRecord> records) {
        Map<ObjectRef, Integer> latest = new HashMap<>();
        Set<Integer> overtaken = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            S3EventNotificationRecord record = records.get(i);
            ObjectRef object = record == null ? null : refOf(record);
            String eventName = object == null ? null : blankToNull(record.getEventName());
            if (object == null || decodedKey(record.getS3().getObject().getKey()) == null
                    || (eventName != null && !eventName.startsWith("ObjectCreated:"))) {
                continue;
            }
            Integer earlier = latest.putIfAbsent(object, i);
            if (earlier != null) {
                if (versionOf(record).supersedes(versionOf(records.get(earlier)))) {
                    overtaken.add(earlier);
                    latest.put(object, i);
                }
                else {
                    overtaken.add(i);
                }
            }
        }
        return overtaken;
    }

    private ProcessedImage overtakenLogged(S3EventNotificationRecord record, OutcomeMetrics.Batch batch) {
        ObjectRef object = refOf(record);
        ProcessedImage result = ProcessedImage.skipped(ImageObject.unread(object), "another record of this event "
                + "names the same object in a later version (or the same one): that record is processed instead",
                clock.instant());
        batch.outcome(result, Duration.ZERO);
        log.info("{} {}: {}", result.status(), printable(object.toString()), result.reason());
        return result;
    }

    private static ObjectVersion versionOf(S3EventNotificationRecord record) {
        S3ObjectEntity object = record.getS3().getObject();
        return new ObjectVersion(object.getVersionId(), object.geteTag(), object.getSequencer());
    }

    /**
     * Processes one record on a worker thread, with the request id and object key in every log line. While another
     * delivery of its version is at work, the record looks again after a pause that holds no worker: two deliveries of
     * one event waiting so would otherwise take the pool (one worker per CPU) from every other event for up to
     * {@code inProgressWait}.
     */
    private CompletableFuture<ProcessedImage> processLogged(S3EventNotificationRecord record, String requestId,
            OutcomeMetrics.Batch batch) {
        return attempt(record, requestId, batch, System.nanoTime(), Duration.ZERO, FIRST_LOOK_AGAIN);
    }

    private CompletableFuture<ProcessedImage> attempt(S3EventNotificationRecord record, String requestId,
            OutcomeMetrics.Batch batch, long start, Duration waited, Duration next) {
        return CompletableFuture.supplyAsync(() -> attemptLogged(record, requestId, batch, start, waited, next), executor)
            .thenCompose(Function.identity());
    }

    /** One look at the record on a worker: its result, its failure, or a look again after a pause. */
    private CompletableFuture<ProcessedImage> attemptLogged(S3EventNotificationRecord record, String requestId,
            OutcomeMetrics.Batch batch, long start, Duration waited, Duration next) {
        try (MDC.MDCCloseable ignored = requestId == null ? null : MDC.putCloseable(REQUEST_ID, requestId);
                MDC.MDCCloseable alsoIgnored = MDC.putCloseable(OBJECT_KEY, keyOf(record))) {
            try {
                ProcessedImage result = process(record, requestId);
                batch.outcome(result, Duration.ofNanos(System.nanoTime() - start));
                log.info("{} {}{}", result.status(), printable("s3://" + result.source().bucket() + "/"
                        + result.source().key()), result.reason() == null ? "" : ": " + printable(result.reason()));
                return CompletableFuture.completedFuture(result);
            }
            catch (RuntimeException e) {
                if (e instanceof DeliveryInProgressException inProgress
                        && waited.plus(next).compareTo(inProgressWait) <= 0) {
                    log.info("Another delivery of this version is at work; looking again in {} ms", next.toMillis());
                    Duration doubled = next.multipliedBy(2);
                    Duration after = doubled.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : doubled;
                    return paused(next, inProgress).thenCompose(
                            done -> attempt(record, requestId, batch, start, waited.plus(next), after));
                }
                batch.failure(refOf(record), Duration.ofNanos(System.nanoTime() - start));
                logFailure(record, e);
                throw e;
            }
        }
    }

    /**
     * One line at ERROR per failed record, with the failure's type and message in the fields a thrown exception gives
     * them ({@code error.type}, {@code error.message}: what docs/operations.md's Logs Insights query shows). A failure
     * of a known kind (a service unreachable, throttling, failing, refusing or missing its resource; the active-region
     * switch unreadable or unusable; another delivery of the version still at work; the local store's disk full or
     * read-only) says in its message what failed and where, so it goes without its stack trace,
     * which is some hundred lines of the SDK's and ours that say nothing more; the web route that runs this function
     * answers it with a 503 or 502 and no line of its own, so each failure is one line there too. Any other failure
     * keeps its stack: it may be a defect of ours.
     */
    private static void logFailure(S3EventNotificationRecord record, RuntimeException e) {
        Optional<String> known = knownFailure(e);
        if (known.isEmpty()) {
            log.error("Failed to process {}", describe(record), e);
            return;
        }
        log.atError()
            .addKeyValue("error.type", e.getClass().getName())
            .addKeyValue("error.message", e.getMessage())
            .log("Failed to process {}: {}", describe(record), known.get());
    }

    /**
     * What an operator reads of a failure of a known kind, or empty for any other: the service's summary (the call,
     * the kind, the error code, the request id) and the message, or the message of an unusable switch.
     */
    private static Optional<String> knownFailure(RuntimeException e) {
        for (Throwable cause : Causes.of(e)) {
            if (cause instanceof ServiceFailureException service && service.kind().known()) {
                return Optional.of(service.summary() + ": " + e.getMessage());
            }
            if (cause instanceof ActiveRegionUnusableException || cause instanceof DeliveryInProgressException
                    || cause instanceof StorageUnavailableException) {
                // each says what it is and what to do (the other delivery's claim and when to retry; the disk full,
                // read-only or not this user's): the stack would add nothing
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Completes after the pause, which a virtual thread of its own sits out (it costs no worker); an interrupted pause
     * fails with the record's {@code failure}.
     */
    private CompletableFuture<Void> paused(Duration duration, DeliveryInProgressException failure) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("in-progress-wait").start(() -> {
            try {
                pause.sleep(duration);
                done.complete(null);
            }
            catch (InterruptedException interrupted) {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    private ProcessedImage process(S3EventNotificationRecord record, String requestId) {
        if (record == null) {
            return ProcessedImage.rejected(new ImageObject(null, null, null, null, null, null),
                    "event record is null", clock.instant());
        }
        S3ObjectEntity object = record.getS3() == null ? null : record.getS3().getObject();
        String bucket = record.getS3() == null || record.getS3().getBucket() == null ? null
                : record.getS3().getBucket().getName();
        if (object == null || bucket == null || bucket.isBlank() || object.getKey() == null
                || object.getKey().isEmpty()) {
            return ProcessedImage.rejected(new ImageObject(bucket, object == null ? null : object.getKey(), null,
                    null, null, null), "event record names no bucket and key", clock.instant());
        }
        String key = decodedKey(object.getKey());
        if (key == null) {
            return ProcessedImage.rejected(new ImageObject(bucket, object.getKey(), null, null, null, null),
                    "event record's key is not URL-encoded as S3 sends keys (a % not followed by two hex digits)",
                    clock.instant());
        }
        ObjectRef ref = new ObjectRef(bucket, key);
        // the event model reports a missing eventName as "": a hand-made event without one is still an upload
        String eventName = blankToNull(record.getEventName());
        if (eventName != null && !eventName.startsWith("ObjectCreated:")) {
            return ProcessedImage.skipped(ImageObject.unread(ref), "not an object-created event: " + eventName,
                    clock.instant());
        }
        if (!bucket.equals(uploadBucket) && !processor.output().contains(ref)) {
            // S3 notifies this function of the upload bucket only (in a pair of regions too: each region's function
            // gets its own bucket's events, replicas included). Another bucket's object is no upload of ours: its
            // thumbnail would take the key of the upload bucket's object of the same name, and its record and
            // notification would name a bucket no page or API reads. Not recorded: the bucket is not ours to record
            return ProcessedImage.rejected(ImageObject.unread(ref), ANOTHER_BUCKET + bucket + ", not the "
                    + "upload bucket " + uploadBucket + " (image-processor.upload-bucket) that this function makes "
                    + "thumbnails for", clock.instant());
        }
        try {
            ref.requireKeyWithinLimit();
        }
        catch (InvalidObjectKeyException e) {
            // S3 sends no such key, so no object has it: a hand-made event. Not recorded: over about 2 KB the record's
            // id is more than DynamoDB takes, and the refused save failed the event, retried and parked as if
            // DynamoDB were down; under that a record and an "Image rejected" email named an object that cannot be
            return ProcessedImage.rejected(ImageObject.unread(ref), "event record's " + e.getMessage()
                    + ", so it names no object", clock.instant());
        }
        // ObjectVersion reads a blank field as absent: the event model reports a missing versionId (unversioned
        // bucket) as ""
        return processor.process(new UploadEvent(ref, object.getSizeAsLong(),
                new ObjectVersion(object.getVersionId(), object.geteTag(), object.getSequencer()), requestId,
                record.getEventTime() == null ? null : Instant.ofEpochMilli(record.getEventTime().getMillis())));
    }

    /** The event model reports a missing eventName as "". */
    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The key of a record for logs and metrics: decoded, or as the event spells it when it cannot be. */
    private static String keyOf(S3EventNotificationRecord record) {
        if (record == null || record.getS3() == null || record.getS3().getObject() == null
                || record.getS3().getObject().getKey() == null) {
            return "";
        }
        String encoded = record.getS3().getObject().getKey();
        String key = decodedKey(encoded);
        return key == null ? encoded : key;
    }

    /**
     * An event's key URL-decoded as S3 encodes it ({@code +} a space, {@code %XX} a UTF-8 byte), or null when it is
     * not encoded that way (a hand-made event's "100%").
     */
    private static String decodedKey(String encoded) {
        try {
            return URLDecoder.decode(encoded.replace("+", "%20"), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ObjectRef refOf(S3EventNotificationRecord record) {
        String key = keyOf(record);
        if (key.isEmpty() || record.getS3().getBucket() == null || record.getS3().getBucket().getName() == null
                || record.getS3().getBucket().getName().isBlank()) {
            return null;
        }
        return new ObjectRef(record.getS3().getBucket().getName(), key);
    }

    private static String describe(S3EventNotificationRecord record) {
        if (record == null || record.getS3() == null || record.getS3().getObject() == null
                || record.getS3().getBucket() == null) {
            return "a record without an object";
        }
        // keyOf: a key that cannot be decoded is shown as sent, where the event model's own decoding would throw
        return printable("s3://" + record.getS3().getBucket().getName() + "/" + keyOf(record));
    }
}
