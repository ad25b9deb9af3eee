package io.github.lambdaimageprocessor.function;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What S3 Batch Operations sends with the "Invoke AWS Lambda function" operation. Our own records rather than
 * {@code aws-lambda-java-events}' S3 batch classes: one release of those read schema 2.0's bucket from the wrong field.
 * Schema 1.0 names the bucket by ARN ({@code s3BucketArn}); 2.0 by name ({@code s3Bucket}) and adds
 * {@code job.userArguments}. Keys are URL-encoded as in S3 event notifications.
 *
 * @param invocationSchemaVersion {@code 1.0} or {@code 2.0}, echoed in the response
 * @param invocationId echoed in the response
 * @param job the job, with the user arguments of a 2.0 job
 * @param tasks the objects, usually one per invocation
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record S3BatchRequest(String invocationSchemaVersion, String invocationId, Job job, List<Task> tasks) {

    /**
     * @param id the job id
     * @param userArguments key-value pairs given when the job was created (schema 2.0); here {@code force} and
     *        {@code notify}, {@code "true"} or {@code "false"}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Job(String id, Map<String, String> userArguments) {
    }

    /**
     * @param taskId echoed in the result
     * @param s3Key the key, URL-encoded
     * @param s3VersionId the version, when the manifest names one
     * @param s3BucketArn the bucket's ARN (schema 1.0)
     * @param s3Bucket the bucket's name (schema 2.0)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Task(String taskId, String s3Key, String s3VersionId, String s3BucketArn, String s3Bucket) {
    }
}
