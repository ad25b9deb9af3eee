package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * One object-created notification: which object, and what the event says about its version. Everything but the
 * object is optional (a local upload knows only the object).
 *
 * @param object the uploaded object, key URL-decoded
 * @param size the size the event reports, or null
 * @param eTag the object's eTag, or null
 * @param versionId the object's version id on a versioned bucket, or null
 * @param sequencer S3's ordering token for events on the same key, or null
 * @param requestId the id of the Lambda invocation delivering the event, or null
 */
public record UploadEvent(ObjectRef object, Long size, String eTag, String versionId, String sequencer,
        String requestId) {

    public UploadEvent {
        Objects.requireNonNull(object, "object");
    }

    public UploadEvent(ObjectRef object, Long size, String eTag, String versionId, String sequencer) {
        this(object, size, eTag, versionId, sequencer, null);
    }

    public static UploadEvent of(ObjectRef object) {
        return new UploadEvent(object, null, null, null, null, null);
    }

    /** What this event tells about its origin, or null when nothing. */
    public EventInfo info() {
        return new EventInfo(eTag, versionId, sequencer, requestId).orNullIfEmpty();
    }

    public ObjectVersion version() {
        return new ObjectVersion(versionId, eTag, sequencer);
    }
}
