package io.github.lambdaimageprocessor.processing;

/**
 * Which version of an object an event (and the record made from it) is about, as S3 events identify it.
 *
 * <p>Two events are about the same version when they carry the same {@code versionId} (versioned buckets) or, without
 * one, the same eTag and sequencer: that is a repeated delivery. Of two events for one key, the one with the greater
 * sequencer happened later; S3 documents sequencers as hexadecimal strings of varying length, compared after
 * left-padding the shorter with zeros.
 *
 * @param versionId the S3 version id, or null on an unversioned bucket (S3's own "null" id included)
 * @param eTag the object's eTag, or null
 * @param sequencer S3's ordering token for events on one key, or null
 */
public record ObjectVersion(String versionId, String eTag, String sequencer) {

    /** An event that names no version (a hand-made event, a local upload without one). */
    public static final ObjectVersion UNKNOWN = new ObjectVersion(null, null, null);

    /** Wide enough for any sequencer S3 sends (they are 16 to 18 hex digits today). */
    private static final int SEQUENCER_WIDTH = 32;

    public ObjectVersion {
        // "null" is the id S3 gives every object written while versioning was off or suspended: it names no one
        // version, and as an identity it would make every later upload of the key a repeat of the first
        versionId = "null".equals(versionId) ? null : blankToNull(versionId);
        eTag = blankToNull(eTag);
        sequencer = blankToNull(sequencer);
    }

    /** Whether the event named nothing at all about the version. */
    public boolean unknown() {
        return versionId == null && eTag == null && sequencer == null;
    }

    /**
     * The identity of this version, or null when the event does not identify one (then every delivery is treated as
     * new).
     */
    public String key() {
        if (versionId != null) {
            return "v:" + versionId;
        }
        if (eTag != null && sequencer != null) {
            String sortable = sortableSequencer();
            return "e:" + eTag + "@" + (sortable == null ? sequencer : sortable);
        }
        return null;
    }

    /**
     * The sequencer left-padded with zeros and upper-cased, so string order is event order; null when unknown or not
     * a hexadecimal number (then it still tells versions apart, but cannot order them).
     */
    public String sortableSequencer() {
        if (sequencer == null || !sequencer.matches("[0-9A-Fa-f]{1," + SEQUENCER_WIDTH + "}")) {
            return null;
        }
        return "0".repeat(SEQUENCER_WIDTH - sequencer.length()) + sequencer.toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Whether a record of {@code recorded} must give way to one of this version: true unless it is the same version,
     * or both sequencers are known and the recorded one is later. Unknown versions always supersede.
     */
    public boolean supersedes(ObjectVersion recorded) {
        if (recorded == null || key() == null || recorded.key() == null) {
            return true;
        }
        if (key().equals(recorded.key())) {
            return false;
        }
        return sortableSequencer() == null || recorded.sortableSequencer() == null
                || sortableSequencer().compareTo(recorded.sortableSequencer()) > 0;
    }

    /** Whether this version is older than {@code recorded} by sequencer (a late or out-of-order delivery). */
    public boolean isOlderThan(ObjectVersion recorded) {
        return recorded != null && sortableSequencer() != null && recorded.sortableSequencer() != null
                && sortableSequencer().compareTo(recorded.sortableSequencer()) < 0;
    }

    /** Whether both identify the same version (a repeated delivery). */
    public boolean sameAs(ObjectVersion other) {
        return other != null && key() != null && key().equals(other.key());
    }

    /**
     * Whether an operation naming {@code version} applies to a record of {@code recorded}: the same version, or, when
     * the version is unknown (a backfill's of an object listed without one), a record whose version is unknown too.
     * Never a known version's record for an unknown one: an upload's record that replaced a backfill's meanwhile is
     * that upload's to mark notified, once its own notification is out.
     */
    public static boolean names(ObjectVersion version, ObjectVersion recorded) {
        String key = version == null ? null : version.key();
        String recordedKey = recorded == null ? null : recorded.key();
        return key == null ? recordedKey == null : key.equals(recordedKey);
    }

    /** An eTag as stores and events spell it, quoted or not, without its quotes; null when blank or absent. */
    public static String bareETag(String eTag) {
        return eTag == null || eTag.isBlank() ? null : eTag.replace("\"", "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
