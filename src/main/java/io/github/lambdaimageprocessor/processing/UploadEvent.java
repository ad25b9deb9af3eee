package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.Objects;

/**
 * One object-created notification: which object, and what the event says about its version. Everything but the
 * object is optional (a local upload knows only the object).
 *
 * @param object the uploaded object, key URL-decoded
 * @param size the size the event reports, or null; informative only (a hand-made event's may be anything): the
 *        limit is checked against the size the store reports
 * @param version the object version the event names; {@link ObjectVersion#UNKNOWN} when it names none
 * @param requestId the id of the Lambda invocation delivering the event, or null
 * @param time when the object was created, as the event says ({@code eventTime}), or null
 */
public record UploadEvent(ObjectRef object, Long size, ObjectVersion version, String requestId, Instant time) {

    public UploadEvent {
        Objects.requireNonNull(object, "object");
        version = version == null ? ObjectVersion.UNKNOWN : version;
    }

    /** An event that does not say when the object was created. */
    public UploadEvent(ObjectRef object, Long size, ObjectVersion version, String requestId) {
        this(object, size, version, requestId, null);
    }

    public static UploadEvent of(ObjectRef object) {
        return new UploadEvent(object, null, ObjectVersion.UNKNOWN, null);
    }

    /** What this event tells about its origin, or null when nothing. */
    public EventInfo info() {
        return new EventInfo(version, requestId).orNullIfEmpty();
    }
}
