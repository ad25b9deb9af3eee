package io.github.lambdaimageprocessor.image;

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
 */
public record UploadEvent(ObjectRef object, Long size, String eTag, String versionId, String sequencer) {

    public UploadEvent {
        Objects.requireNonNull(object, "object");
    }

    public static UploadEvent of(ObjectRef object) {
        return new UploadEvent(object, null, null, null, null);
    }

    public ObjectVersion version() {
        return new ObjectVersion(versionId, eTag, sequencer);
    }
}
