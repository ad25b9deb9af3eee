package io.github.lambdaimageprocessor.function;

import java.util.List;

/**
 * The answer S3 Batch Operations expects: one result per task, which the job's completion report lists.
 *
 * @param invocationSchemaVersion as in the request
 * @param treatMissingKeysAs the result code for tasks this response has no result for
 * @param invocationId as in the request
 * @param results one per task, in task order
 */
public record S3BatchResponse(String invocationSchemaVersion, String treatMissingKeysAs, String invocationId,
        List<Result> results) {

    /** Retrying cannot help: bad input, a missing or archived object. */
    public static final String PERMANENT_FAILURE = "PermanentFailure";

    /** S3 Batch Operations retries the task: throttling, timeouts, 5xx. */
    public static final String TEMPORARY_FAILURE = "TemporaryFailure";

    /** Done, now or before. */
    public static final String SUCCEEDED = "Succeeded";

    /**
     * @param taskId as in the task
     * @param resultCode {@link #SUCCEEDED}, {@link #PERMANENT_FAILURE} or {@link #TEMPORARY_FAILURE}
     * @param resultString what happened, in a few words (the completion report shows it)
     */
    public record Result(String taskId, String resultCode, String resultString) {
    }
}
