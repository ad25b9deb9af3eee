package io.github.lambdaimageprocessor.function;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import io.github.lambdaimageprocessor.processing.BackfillResult;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ListedObject;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static io.github.lambdaimageprocessor.function.S3BatchResponse.PERMANENT_FAILURE;
import static io.github.lambdaimageprocessor.function.S3BatchResponse.SUCCEEDED;
import static io.github.lambdaimageprocessor.function.S3BatchResponse.TEMPORARY_FAILURE;
import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;

/**
 * The {@code backfillImages} function, for S3 Batch Operations' "Invoke AWS Lambda function": each task's object
 * through {@link ImageProcessor#backfill}, so what is recorded with the current settings is not made again. Every task
 * gets a result, never an invocation error: Succeeded (processed, or already done), PermanentFailure (not a usable
 * image, no such object, archived, or a task that names no object) or TemporaryFailure (an infrastructure failure:
 * S3 Batch Operations retries those). User arguments {@code force} and {@code notify} (schema 2.0) are passed on.
 */
public class S3BatchFunction implements Function<Message<S3BatchRequest>, S3BatchResponse> {

    /** The completion report is a CSV line per task: keep the reason readable and short. */
    static final int MAX_RESULT_STRING = 300;

    /** The request schemas S3 Batch Operations sends a Lambda function. */
    private static final java.util.Set<String> SCHEMA_VERSIONS = java.util.Set.of("1.0", "2.0");

    private static final Logger log = LoggerFactory.getLogger(S3BatchFunction.class);

    private final ImageProcessor processor;

    /** The bucket whose uploads this function makes thumbnails of; the job's manifest lists that bucket. */
    private final String uploadBucket;

    /**
     * @param uploadBucket the bucket uploads arrive in ({@code image-processor.upload-bucket}): a task naming another
     *        fails permanently, unread, but for the processed bucket, whose objects are this function's own output
     */
    public S3BatchFunction(ImageProcessor processor, String uploadBucket) {
        this.processor = processor;
        this.uploadBucket = java.util.Objects.requireNonNull(uploadBucket, "uploadBucket");
    }

    /**
     * This function as Lambda's handler and the web route call it: on the request's JSON, read here. Given the
     * request record as its input type, Spring Cloud Function reads a request that is a JSON array as a batch of
     * requests, and calls the function once per element: an empty array answered {@code "OK"} having done nothing. A
     * byte array it leaves whole.
     */
    public Function<Message<byte[]>, S3BatchResponse> fromRequestJson(JsonMapper json) {
        ObjectReader reader = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        return message -> apply(MessageBuilder.withPayload(read(reader, EventJson.of(message)))
            .copyHeaders(message.getHeaders())
            .build());
    }

    private static S3BatchRequest read(ObjectReader reader, byte[] request) {
        try {
            JsonNode tree = reader.readTree(request);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("Not an S3 Batch Operations request: expected a JSON object with "
                        + "\"tasks\"" + (tree != null && tree.isArray()
                                ? ", not an array; send each request in an invocation of its own" : ""));
            }
            return reader.treeToValue(tree, S3BatchRequest.class);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("Not an S3 Batch Operations request: " + e.getOriginalMessage());
        }
    }

    @Override
    public S3BatchResponse apply(Message<S3BatchRequest> message) {
        String requestId = message.getHeaders().get(AWSLambdaUtils.AWS_CONTEXT) instanceof Context context
                ? context.getAwsRequestId() : null;
        return apply(message.getPayload(), requestId);
    }

    /**
     * @throws IllegalArgumentException when the request holds no tasks: no result could name one
     */
    S3BatchResponse apply(S3BatchRequest request, String requestId) {
        if (request == null || request.tasks() == null || request.tasks().isEmpty()) {
            throw new IllegalArgumentException("Not an S3 Batch Operations request: it has no \"tasks\"");
        }
        Map<String, String> userArguments = request.job() == null || request.job().userArguments() == null ? Map.of()
                : request.job().userArguments();
        String argumentProblem = null;
        boolean force = false;
        boolean notify = false;
        try {
            if (request.invocationSchemaVersion() == null
                    || !SCHEMA_VERSIONS.contains(request.invocationSchemaVersion())) {
                // another schema may name its bucket, key or arguments elsewhere: nothing is read under a guess
                throw new IllegalArgumentException("invocationSchemaVersion '" + request.invocationSchemaVersion()
                        + "' is not one this function reads (1.0, 2.0)");
            }
            force = flag(userArguments, "force");
            notify = flag(userArguments, "notify");
        }
        catch (IllegalArgumentException e) {
            argumentProblem = e.getMessage();
        }
        // a task S3 Batch Operations runs again (after a TemporaryFailure, a timeout, an invocation error) finds the
        // record its job made: not remade again for force, nor notified twice
        String job = request.job() == null ? null : request.job().id();
        List<S3BatchResponse.Result> results = new ArrayList<>(request.tasks().size());
        for (S3BatchRequest.Task task : request.tasks()) {
            S3BatchResponse.Result result = argumentProblem != null
                    ? result(task, PERMANENT_FAILURE, argumentProblem)
                    : processLogged(task, force, notify, job, requestId);
            results.add(result);
        }
        return new S3BatchResponse(request.invocationSchemaVersion(), PERMANENT_FAILURE, request.invocationId(),
                results);
    }

    private S3BatchResponse.Result processLogged(S3BatchRequest.Task task, boolean force, boolean notify, String job,
            String requestId) {
        ListedObject object;
        try {
            object = objectOf(task);
        }
        catch (IllegalArgumentException e) {
            log.warn("Task {}: {}", task == null ? null : printable(task.taskId()), printable(e.getMessage()));
            return result(task, PERMANENT_FAILURE, e.getMessage());
        }
        if (!object.ref().bucket().equals(uploadBucket) && !processor.output().contains(object.ref())) {
            // a manifest of another bucket: its objects' thumbnails would take the keys of the upload bucket's
            // objects of the same names (and on AWS the function may not read it: a retried TemporaryFailure)
            String reason = "task names bucket " + object.ref().bucket() + ", not the upload bucket " + uploadBucket
                    + " (image-processor.upload-bucket) that this function makes thumbnails for";
            log.warn("Task {}: {}", printable(task.taskId()), printable(reason));
            return result(task, PERMANENT_FAILURE, reason);
        }
        try (MDC.MDCCloseable ignored = requestId == null ? null : MDC.putCloseable(S3EventFunction.REQUEST_ID,
                requestId);
                MDC.MDCCloseable alsoIgnored = MDC.putCloseable(S3EventFunction.OBJECT_KEY, object.ref().key())) {
            S3BatchResponse.Result result;
            try {
                result = resultOf(task, processor.backfill(object, force, notify, job));
            }
            catch (RuntimeException e) {
                // S3, DynamoDB or SNS failed: S3 Batch Operations retries the task
                log.error("Failed to backfill {}", printable(object.ref().toString()), e);
                return result(task, TEMPORARY_FAILURE, "failed, will be retried: " + e.getMessage());
            }
            log.info("{} {}: {}", result.resultCode(), printable(object.ref().toString()),
                    printable(result.resultString()));
            return result;
        }
    }

    private static S3BatchResponse.Result resultOf(S3BatchRequest.Task task, BackfillResult backfill) {
        ProcessedImage image = backfill.image();
        return switch (backfill.kind()) {
            case PROCESSED -> result(task, SUCCEEDED, "processed: " + image.output().width() + "x"
                    + image.output().height() + " thumbnail s3://" + image.output().bucket() + "/"
                    + image.output().key());
            case UP_TO_DATE, NOT_AN_UPLOAD, CHANGED_CONCURRENTLY -> result(task, SUCCEEDED,
                    "already done: " + image.reason());
            case NOT_CURRENT -> result(task, SUCCEEDED, "not current: " + image.reason());
            // a file rejected by an earlier run (or by this task's own run, retried after a timeout) fails as it
            // did then: the job's report lists every file that is not a usable image among its failed tasks
            case REJECTED, ALREADY_REJECTED -> result(task, PERMANENT_FAILURE, "rejected: " + image.reason());
            case MISSING -> result(task, PERMANENT_FAILURE, "no such object: " + image.source().bucket() + "/"
                    + image.source().key() + (task.s3VersionId() == null ? "" : " version " + task.s3VersionId()));
            case ARCHIVED -> result(task, PERMANENT_FAILURE, "archived: " + image.reason());
            case STANDBY -> result(task, PERMANENT_FAILURE, "not here: " + image.reason()
                    + "; run the job in the active region");
        };
    }

    /** The task's object, key URL-decoded ({@code +} is a space, {@code %XX} a UTF-8 byte). */
    static ListedObject objectOf(S3BatchRequest.Task task) {
        if (task == null || task.taskId() == null || task.taskId().isBlank()) {
            throw new IllegalArgumentException("task has no taskId");
        }
        String bucket = task.s3Bucket() != null && !task.s3Bucket().isBlank() ? task.s3Bucket()
                : bucketOfArn(task.s3BucketArn());
        if (task.s3Key() == null || task.s3Key().isEmpty()) {
            throw new IllegalArgumentException("task names no s3Key");
        }
        String key;
        try {
            key = URLDecoder.decode(task.s3Key(), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3Key is not URL-encoded as S3 sends it: " + e.getMessage());
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("task names no s3Key");
        }
        ObjectRef ref = new ObjectRef(bucket, key);
        // no object has a longer key (a hand-made manifest): a permanent failure, where its record's save failed
        // the task as temporary when the id was more than DynamoDB takes
        ref.requireKeyWithinLimit();
        return new ListedObject(ref, null, task.s3VersionId(), null);
    }

    private static String bucketOfArn(String arn) {
        // arn:aws:s3:::bucket (any partition)
        int separator = arn == null ? -1 : arn.indexOf(":::");
        if (arn == null || !arn.startsWith("arn:") || separator < 0 || separator + 3 == arn.length()) {
            throw new IllegalArgumentException("task names no bucket: neither s3Bucket nor an s3BucketArn "
                    + "like arn:aws:s3:::bucket (got " + arn + ")");
        }
        return arn.substring(separator + 3);
    }

    private static boolean flag(Map<String, String> userArguments, String name) {
        String value = userArguments.get(name);
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "job.userArguments." + name + " must be true or false, got '" + value + "'");
        };
    }

    private static S3BatchResponse.Result result(S3BatchRequest.Task task, String code, String text) {
        String resultString = text.length() <= MAX_RESULT_STRING ? text
                : text.substring(0, MAX_RESULT_STRING - 3) + "...";
        return new S3BatchResponse.Result(task == null ? null : task.taskId(), code, resultString);
    }
}
