package io.github.lambdaimageprocessor.processing;

/**
 * What the delivery that produced an outcome said about it: the object version S3 announced and the invocation that
 * handled it. Kept with the record so an operator can tell which upload and which Lambda run (and its log lines) a
 * record came from. Every field is null when unknown (a local upload knows none of them).
 *
 * @param eTag the object's eTag from the event
 * @param versionId the object's version id on a versioned bucket
 * @param sequencer S3's ordering token for events on the same key (hexadecimal, compare as fixed-width strings)
 * @param requestId the id of the Lambda invocation that processed the event
 */
public record EventInfo(String eTag, String versionId, String sequencer, String requestId) {

    /** The object version this event names (its identity and order). */
    public ObjectVersion version() {
        return new ObjectVersion(versionId, eTag, sequencer);
    }

    /** This info, or null when it holds nothing, so an unknown origin is one null rather than four. */
    public EventInfo orNullIfEmpty() {
        return eTag == null && versionId == null && sequencer == null && requestId == null ? null : this;
    }
}
