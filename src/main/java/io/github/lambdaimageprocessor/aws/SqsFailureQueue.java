package io.github.lambdaimageprocessor.aws;

import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The function's failure queue (template.yaml {@code FailureQueue}, the on-failure destination of its asynchronous
 * invocations): what the redrive command reads, deletes and puts back.
 */
class SqsFailureQueue {

    /** One message: its body is a Lambda invocation record whose {@code requestPayload} is the S3 event. */
    record FailedEvent(String messageId, String receiptHandle, String body) {
    }

    private final SqsClient sqs;

    private final String queueUrl;

    SqsFailureQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    String url() {
        return queueUrl;
    }

    /**
     * Up to 10 messages, hidden from other readers for {@code visibilitySeconds}; empty when none is visible (after a
     * short long-poll, so an empty answer from one SQS host does not end the run early).
     */
    List<FailedEvent> receive(int visibilitySeconds) {
        try {
            return sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                .maxNumberOfMessages(10)
                .visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(1))
                .messages()
                .stream()
                .map(message -> new FailedEvent(message.messageId(), message.receiptHandle(), message.body()))
                .toList();
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("SQS", "ReceiveMessage", "Failed to read the failure queue " + queueUrl,
                    e);
        }
    }

    /** Removes a message that was handled. */
    void delete(FailedEvent event) {
        try {
            sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(event.receiptHandle()));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("SQS", "DeleteMessage", "Failed to delete message " + event.messageId()
                    + " from " + queueUrl, e);
        }
    }

    /** Makes a message that was not handled visible again at once, for the next run. */
    void release(FailedEvent event) {
        hide(event, 0);
    }

    /** Hides a message from readers (this run included) for {@code seconds} more. */
    void hide(FailedEvent event, int seconds) {
        try {
            sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                .receiptHandle(event.receiptHandle())
                .visibilityTimeout(seconds));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("SQS", "ChangeMessageVisibility", "Failed to change the visibility of "
                    + "message " + event.messageId() + " in " + queueUrl, e);
        }
    }

    /** Messages in the queue, visible or being read (SQS's approximate counts). */
    long remaining() {
        try {
            var attributes = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
            return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                    + Long.parseLong(attributes
                        .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("SQS", "GetQueueAttributes", "Failed to count the messages in " + queueUrl,
                    e);
        }
    }
}
