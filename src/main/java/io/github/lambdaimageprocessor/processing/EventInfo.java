package io.github.lambdaimageprocessor.processing;

/**
 * What the delivery that produced an outcome said about it: the object version S3 announced and the invocation that
 * handled it. Kept with the record so an operator can tell which upload and which Lambda run (and its log lines) a
 * record came from.
 *
 * @param version the object version the event named; {@link ObjectVersion#UNKNOWN} when it named none
 * @param requestId the id of the Lambda invocation that processed the event, or null
 */
public record EventInfo(ObjectVersion version, String requestId) {

    public EventInfo {
        version = version == null ? ObjectVersion.UNKNOWN : version;
    }

    /** This info, or null when it holds nothing, so an unknown origin is one null rather than an empty shell. */
    public EventInfo orNullIfEmpty() {
        return version.unknown() && requestId == null ? null : this;
    }
}
