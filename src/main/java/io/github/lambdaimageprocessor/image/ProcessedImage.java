package io.github.lambdaimageprocessor.image;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome for one uploaded object: the function's result, the metadata record and the notification's content.
 *
 * @param status what happened
 * @param reason why, when not {@link Status#PROCESSED}; null otherwise
 * @param source the uploaded object
 * @param output the thumbnail written, or null when nothing was written
 * @param processedAt when the outcome was decided
 * @param event what the triggering event said (eTag, version, sequencer, request id), or null when unknown
 */
public record ProcessedImage(Status status, String reason, ImageObject source, ImageObject output,
        Instant processedAt, EventInfo event) {

    public ProcessedImage {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(processedAt, "processedAt");
        if (status == Status.PROCESSED && output == null) {
            throw new IllegalArgumentException("a PROCESSED image has an output");
        }
        if (status != Status.PROCESSED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException(status + " needs a reason");
        }
    }

    /** An outcome whose triggering event is unknown. */
    public ProcessedImage(Status status, String reason, ImageObject source, ImageObject output, Instant processedAt) {
        this(status, reason, source, output, processedAt, null);
    }

    /** This outcome, attributed to the event that triggered it. */
    public ProcessedImage withEvent(EventInfo event) {
        return new ProcessedImage(status, reason, source, output, processedAt, event);
    }

    public static ProcessedImage processed(ImageObject source, ImageObject output, Instant at) {
        return new ProcessedImage(Status.PROCESSED, null, source, output, at);
    }

    public static ProcessedImage rejected(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.REJECTED, reason, source, null, at);
    }

    public static ProcessedImage skipped(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.SKIPPED, reason, source, null, at);
    }
}
