package io.github.lambdaimageprocessor.function;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import tools.jackson.databind.JsonNode;

/**
 * What an S3 event must hold before the AWS event parser ({@code aws-lambda-java-serialization}, which both Lambda's
 * {@code FunctionInvoker} and the web app's function routes use) is given it: that parser cannot build a record without
 * a valid {@code eventTime} and, for want of it, goes looking for AWS SDK v1 classes and fails the whole event with a
 * {@code ClassNotFoundException}. A hand-made event is told instead what it lacks.
 */
public final class S3EventShape {

    private S3EventShape() {
    }

    /**
     * Why {@code event} is not an S3 event this function can take, or null when it is one.
     *
     * @param subject how the message names the event: "The body", "The event"
     */
    public static String problem(JsonNode event, String subject) {
        if (event == null || !event.isObject()) {
            return subject + " is not an S3 event: expected a JSON object with a \"Records\" array.";
        }
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            return subject + " is not an S3 event: it has no non-empty \"Records\" array (see events/s3-put.json).";
        }
        for (JsonNode record : records) {
            if (!record.isObject() || !isTimestamp(record.path("eventTime"))) {
                return subject + " is not an S3 event: every record needs an ISO-8601 \"eventTime\" "
                        + "(see events/s3-put.json).";
            }
            if (!isText(record.at("/s3/bucket/name")) || !isText(record.at("/s3/object/key"))) {
                return subject + " is not an S3 event: every record needs \"s3\": {\"bucket\": {\"name\"}, "
                        + "\"object\": {\"key\"}} (see events/s3-put.json).";
            }
        }
        return null;
    }

    static boolean isText(JsonNode node) {
        return node.isString() && !node.asString().isBlank();
    }

    /** What the event model's own record accepts (its constructor parses the time), no more and no less. */
    private static boolean isTimestamp(JsonNode node) {
        if (!node.isString() || node.asString().isBlank()) {
            return false;
        }
        try {
            new S3EventNotificationRecord(null, null, null, node.asString(), null, null, null, null, null);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }
}
