package io.github.lambdaimageprocessor.processing;

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
 * @param orientation the source's EXIF orientation (1-8) applied to make the thumbnail upright, 1 when it had none;
 *        null when no thumbnail was made
 * @param colorSpace the source's colour space (e.g. {@code YCbCr}, {@code CMYK}, {@code YCbCr (ICC "Display P3")});
 *        null when no thumbnail was made
 * @param event what the triggering event said (eTag, version, sequencer, request id), or null when unknown
 * @param notifiedAt when the notification for this outcome was published, or null while it has not been
 * @param settings the thumbnail settings the outcome was decided with; null in records written before settings were
 *        recorded (a backfill treats those as stale) and in outcomes that were not recorded
 * @param backfill the backfill that made this record, when one did and a later run needs to know it (it was to notify
 *        this object); null in an upload event's record
 */
public record ProcessedImage(Status status, String reason, ImageObject source, ImageObject output,
        Instant processedAt, Integer orientation, String colorSpace, EventInfo event, Instant notifiedAt,
        ThumbnailSettings settings, BackfillRun backfill) {

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
        if (orientation != null && (orientation < 1 || orientation > 8)) {
            throw new IllegalArgumentException("orientation must be an EXIF value 1-8, got " + orientation);
        }
    }

    /** An outcome without the source's orientation and colour space (nothing was decoded) nor its event. */
    public ProcessedImage(Status status, String reason, ImageObject source, ImageObject output, Instant processedAt) {
        this(status, reason, source, output, processedAt, null, null, null, null, null, null);
    }

    /** An outcome whose settings are not known (a record written before settings were recorded). */
    public ProcessedImage(Status status, String reason, ImageObject source, ImageObject output, Instant processedAt,
            Integer orientation, String colorSpace, EventInfo event, Instant notifiedAt) {
        this(status, reason, source, output, processedAt, orientation, colorSpace, event, notifiedAt, null, null);
    }

    /** Which version of the source this outcome is for, as its event identified it; null when unknown. */
    public ObjectVersion version() {
        return event == null ? null : event.version();
    }

    /** This outcome, attributed to the event that triggered it. */
    public ProcessedImage withEvent(EventInfo triggeringEvent) {
        return new ProcessedImage(status, reason, source, output, processedAt, orientation, colorSpace,
                triggeringEvent, notifiedAt, settings, backfill);
    }

    /** This outcome, with the time its notification was published. */
    public ProcessedImage withNotifiedAt(Instant at) {
        return new ProcessedImage(status, reason, source, output, processedAt, orientation, colorSpace, event, at,
                settings, backfill);
    }

    /** This outcome, decided (or its claim taken over) at another time. */
    public ProcessedImage withProcessedAt(Instant at) {
        return new ProcessedImage(status, reason, source, output, at, orientation, colorSpace, event, notifiedAt,
                settings, backfill);
    }

    /** This outcome, decided with these thumbnail settings. */
    public ProcessedImage withSettings(ThumbnailSettings thumbnailSettings) {
        return new ProcessedImage(status, reason, source, output, processedAt, orientation, colorSpace, event,
                notifiedAt, thumbnailSettings, backfill);
    }

    /** This outcome, made by this backfill run (null: by none a later run needs to know of). */
    public ProcessedImage withBackfill(BackfillRun run) {
        return new ProcessedImage(status, reason, source, output, processedAt, orientation, colorSpace, event,
                notifiedAt, settings, run);
    }

    public static ProcessedImage processed(ImageObject source, ImageObject output, Instant at) {
        return new ProcessedImage(Status.PROCESSED, null, source, output, at);
    }

    public static ProcessedImage processed(ImageObject source, ImageObject output, Instant at, int orientation,
            String colorSpace) {
        return new ProcessedImage(Status.PROCESSED, null, source, output, at, orientation, colorSpace, null, null);
    }

    public static ProcessedImage rejected(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.REJECTED, reason, source, null, at);
    }

    public static ProcessedImage skipped(ImageObject source, String reason, Instant at) {
        return new ProcessedImage(Status.SKIPPED, reason, source, null, at);
    }
}
