package io.github.lambdaimageprocessor.processing;

import java.time.Duration;

/**
 * Another delivery of the same object version claimed its record moments ago and has not notified yet: it is most
 * likely still at work (two Lambda instances handed one duplicated S3 event). Making the thumbnail and notifying here
 * too would send a second email, and skipping would lose the notification if the other delivery then failed, so this
 * delivery fails instead, like an infrastructure failure: it is retried later, and by then the record says either
 * "notified" (SKIPPED) or that the claimer is gone (the retry finishes its work).
 */
public class DeliveryInProgressException extends RuntimeException {

    private final Duration retryAfter;

    public DeliveryInProgressException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long until the claim is old enough to be taken over. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
