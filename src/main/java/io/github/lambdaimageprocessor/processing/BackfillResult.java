package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * What a backfill made of one existing object: the outcome (as the function reports it), and which of the cases a
 * runner must tell apart (a summary, or S3 Batch Operations' result codes).
 *
 * @param kind which case
 * @param image the outcome; for {@link Kind#PROCESSED} and {@link Kind#REJECTED} also the saved record
 */
public record BackfillResult(Kind kind, ProcessedImage image) {

    public BackfillResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(image, "image");
    }

    /** The cases, each with what it means for the object. */
    public enum Kind {
        /** A thumbnail was (re)made and recorded. */
        PROCESSED,
        /** Not a usable image: recorded as REJECTED with the reason, like an upload. */
        REJECTED,
        /** Recorded for this object version with the current settings already: nothing written. */
        UP_TO_DATE,
        /**
         * Recorded as REJECTED for this object version with the current settings already: nothing written, and the
         * reason is the record's. Still not a usable image, so a runner reports it as it reported the first time.
         */
        ALREADY_REJECTED,
        /** One of this function's own outputs, not an upload: nothing written. */
        NOT_AN_UPLOAD,
        /** No such object (or version): deleted since it was listed, or never there. Nothing written. */
        MISSING,
        /** In an archive storage class: it must be restored first. Nothing written. */
        ARCHIVED,
        /**
         * The task named a version that is no longer the object's current one (a later upload, or a delete, came
         * after the manifest was made): the current version's record and thumbnail stand. Nothing written.
         */
        NOT_CURRENT,
        /**
         * An upload event (or another backfill) recorded this object while the backfill worked on it, before its record
         * or after it: that record, its thumbnail and its notification stand, and this backfill notified nothing.
         */
        CHANGED_CONCURRENTLY,
        /** This region is the standby of a pair: nothing read or written; backfills run in the active region. */
        STANDBY
    }

    public String reason() {
        return image.reason();
    }
}
