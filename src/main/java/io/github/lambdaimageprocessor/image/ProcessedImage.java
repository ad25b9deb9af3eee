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
 * @param version which version of the source the outcome is for, as the event identified it, or null
 * @param notifiedAt when the notification for this outcome was published, or null while it has not been
 */
public record ProcessedImage(Status status, String reason, ImageObject source, ImageObject output,
        Instant processedAt, ObjectVersion version, Instant notifiedAt) {

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

    public static ProcessedImage processed(ImageObject source, ImageObject output, Instant at) {
        return new ProcessedImage(Status.PROCESSED, null, source, output, at, null, null);
    }

    public static ProcessedImage rejected(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.REJECTED, reason, source, null, at, null, null);
    }

    public static ProcessedImage skipped(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.SKIPPED, reason, source, null, at, null, null);
    }

    public ProcessedImage withVersion(ObjectVersion objectVersion) {
        return new ProcessedImage(status, reason, source, output, processedAt, objectVersion, notifiedAt);
    }

    public ProcessedImage withNotifiedAt(Instant at) {
        return new ProcessedImage(status, reason, source, output, processedAt, version, at);
    }
}
