package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The use case: turn one uploaded object into a thumbnail, record the outcome and notify.
 *
 * <p>Bad input (not an image, too large, a key the store cannot hold) ends as a {@link Status#REJECTED} outcome that
 * is recorded and notified like any other. Infrastructure failures (store, repository or notifier throwing) propagate
 * to the caller, so the delivery can be retried.
 */
public final class ImageProcessor {

    /** User metadata written on every thumbnail, so our own outputs can be recognised. */
    public static final Map<String, String> OUTPUT_MARKER = Map.of("processed-by", "lambda-image-processor");

    /** User metadata on a thumbnail: the version ({@link ObjectVersion#key()}) of the upload it was made from. */
    static final String SOURCE_VERSION = "source-version";

    private final ImageStore store;
    private final Resizer resizer;
    private final MetadataRepository metadata;
    private final Notifier notifier;
    private final OutputLocation output;
    private final long maxInputBytes;
    private final Clock clock;

    private final StandbyGate standbyGate;

    /** A processor without a standby gate: it processes every event (one region, or the local runtime). */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock) {
        this(store, resizer, metadata, notifier, output, maxInputBytes, clock, StandbyGate.open());
    }

    /**
     * @param standbyGate consulted for every upload before anything is read: in the standby region of a pair the
     *        upload is SKIPPED
     */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock, StandbyGate standbyGate) {
        this.standbyGate = Objects.requireNonNull(standbyGate, "standbyGate");
        this.store = Objects.requireNonNull(store, "store");
        this.resizer = Objects.requireNonNull(resizer, "resizer");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.output = Objects.requireNonNull(output, "output");
        this.maxInputBytes = maxInputBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public OutputLocation output() {
        return output;
    }

    /**
     * Processes one event, at most once per object version: ask the standby gate (in the standby region of a pair the event is SKIPPED before anything is read), look
     * up the record, read and resize, claim the record
     * with a conditional save, write the thumbnail, notify, mark notified. What each step guards against and what a
     * retry after a failure between two steps does is written out once, in {@code docs/exactly-once.md}.
     */
    public ProcessedImage process(UploadEvent event) {
        ObjectRef sourceRef = event.object();
        ImageObject unread = ImageObject.unread(sourceRef);
        if (output.contains(sourceRef)) {
            // our own output, not read at all: processing it would make a thumbnail of a thumbnail, and on S3
            // trigger us again
            return ProcessedImage.skipped(unread, "an output of this function (" + output + "), not an upload",
                    clock.instant());
        }
        // before the first read: the standby region reads, writes and notifies nothing; an unreadable switch throws
        Optional<String> standby = standbyGate.standbyReason();
        if (standby.isPresent()) {
            return ProcessedImage.skipped(unread, standby.get(), clock.instant()).withEvent(event.info());
        }
        ObjectVersion version = event.version();
        Optional<ProcessedImage> recorded = version.key() == null ? Optional.empty() : metadata.find(sourceRef);
        if (recorded.isPresent()) {
            ProcessedImage previous = recorded.get();
            if (version.sameAs(previous.version())) {
                if (previous.notifiedAt() != null) {
                    return ProcessedImage.skipped(unread, "already processed: this version was recorded at "
                            + previous.processedAt() + " with status " + previous.status(), clock.instant())
                        .withEvent(event.info());
                }
                // whether the thumbnail write happened cannot be known without reading the processed bucket (which
                // the function may not): make it again; a rare retry costs one resize
                if (previous.status() == Status.PROCESSED) {
                    byte[] thumbnail = decide(event, unread).thumbnail();
                    if (thumbnail != null) {
                        writeThumbnail(sourceRef, thumbnail, version);
                    }
                }
                return notifyAndMark(previous);
            }
            if (version.isOlderThan(previous.version())) {
                return ProcessedImage.skipped(unread, "stale event: a later version (sequencer "
                        + previous.version().sequencer() + ") was already processed", clock.instant())
                    .withEvent(event.info());
            }
        }
        Decision decision = decide(event, unread);
        ProcessedImage outcome = decision.outcome().withEvent(event.info());
        if (outcome.status() == Status.SKIPPED) {
            return outcome;
        }
        if (!metadata.save(outcome)) {
            return ProcessedImage.skipped(unread, "already processed: a concurrent delivery of this or a later "
                    + "version was recorded first", clock.instant())
                .withEvent(event.info());
        }
        if (decision.thumbnail() != null) {
            writeThumbnail(sourceRef, decision.thumbnail(), version);
        }
        return notifyAndMark(outcome);
    }

    /**
     * Writes the thumbnail of {@code version}, then checks that no later version was recorded meanwhile. Records are
     * claimed in version order, but the writes that follow can cross: the delivery of an earlier version may write
     * after a later one did. The delivery that then finds a later record writes that version's thumbnail back (and
     * checks again, a bounded number of times), so the thumbnail always ends as the recorded version's.
     */
    private void writeThumbnail(ObjectRef sourceRef, byte[] thumbnail, ObjectVersion version) {
        ObjectRef thumbnailRef = output.thumbnailOf(sourceRef);
        store.write(thumbnailRef, thumbnail, Thumbnail.CONTENT_TYPE, markerFor(version));
        ObjectVersion written = version;
        for (int check = 0; check < 3; check++) {
            Optional<ProcessedImage> now = metadata.find(sourceRef);
            if (now.isEmpty() || ObjectVersion.names(written, now.get().version())
                    || now.get().status() != Status.PROCESSED) {
                return;
            }
            ObjectVersion later = now.get().version();
            byte[] repaired = decide(new UploadEvent(sourceRef, null, later, null), ImageObject.unread(sourceRef))
                .thumbnail();
            if (repaired == null) {
                return;
            }
            store.write(thumbnailRef, repaired, Thumbnail.CONTENT_TYPE, markerFor(later));
            written = later;
        }
    }

    /** The output marker, plus the version the thumbnail was made from (provenance, visible in S3). */
    private static Map<String, String> markerFor(ObjectVersion version) {
        if (version == null || version.key() == null) {
            return OUTPUT_MARKER;
        }
        Map<String, String> marker = new java.util.HashMap<>(OUTPUT_MARKER);
        marker.put(SOURCE_VERSION, version.key());
        return Map.copyOf(marker);
    }

    private ProcessedImage notifyAndMark(ProcessedImage recorded) {
        notifier.imageProcessed(recorded);
        Instant notifiedAt = clock.instant();
        metadata.markNotified(recorded.source().ref(), recorded.version(), notifiedAt);
        return recorded.withNotifiedAt(notifiedAt);
    }

    /** An outcome, and the thumbnail to write when it is PROCESSED. */
    private record Decision(ProcessedImage outcome, byte[] thumbnail) {

        Decision(ProcessedImage outcome) {
            this(outcome, null);
        }
    }

    /** Reads and resizes; writes nothing. */
    private Decision decide(UploadEvent event, ImageObject unread) {
        ObjectRef sourceRef = event.object();
        if (event.size() != null && event.size() > maxInputBytes) {
            return new Decision(ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(), null, null,
                    event.size(), null), tooLarge(event.size()), clock.instant()));
        }
        Optional<StoredObject> read;
        try {
            // the version the event names: a later upload of the same key is its own event's business
            read = store.read(sourceRef, event.version().versionId(), maxInputBytes);
        }
        catch (InvalidObjectKeyException e) {
            return new Decision(ProcessedImage.rejected(unread, e.getMessage(), clock.instant()));
        }
        catch (ObjectTooLargeException e) {
            if (!e.sizeKnown()) {
                return new Decision(ProcessedImage.rejected(unread, "object is more than " + maxInputBytes
                        + " bytes, over the limit of " + maxInputBytes + " bytes (its size was not announced; "
                        + "reading stopped there)", clock.instant()));
            }
            return new Decision(ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(), null, null,
                    e.bytes(), null), tooLarge(e.bytes()), clock.instant()));
        }
        catch (ObjectArchivedException e) {
            return new Decision(ProcessedImage.rejected(unread, "object is archived"
                    + (e.storageClass() == null ? "" : " in storage class " + e.storageClass())
                    + " and must be restored (S3 RestoreObject) before it can be read", clock.instant()));
        }
        if (read.isEmpty()) {
            return new Decision(ProcessedImage.skipped(unread, "object no longer exists", clock.instant()));
        }
        StoredObject source = read.get();
        if (isOutputMarked(source)) {
            return new Decision(ProcessedImage.skipped(unread, "carries this function's output marker "
                    + OUTPUT_MARKER.keySet().iterator().next() + ", so it is a thumbnail, not an upload",
                    clock.instant()));
        }
        long bytes = source.content().length;
        if (bytes > maxInputBytes) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    tooLarge(bytes), clock.instant()));
        }
        Thumbnail thumbnail;
        try {
            thumbnail = resizer.resize(source.content());
        }
        catch (RejectedImageException e) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    e.getMessage(), clock.instant()));
        }
        ObjectRef thumbnailRef = output.thumbnailOf(sourceRef);
        try {
            // decided now, before the record is claimed: a key the store cannot hold is bad input, not a failure
            store.checkWritable(thumbnailRef);
        }
        catch (InvalidObjectKeyException e) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, thumbnail.source(), bytes,
                    source.contentType()), e.getMessage(), clock.instant()));
        }
        return new Decision(ProcessedImage.processed(
                ImageObject.of(sourceRef, thumbnail.source(), bytes, source.contentType()),
                ImageObject.of(thumbnailRef, thumbnail.size(), thumbnail.jpeg().length, Thumbnail.CONTENT_TYPE),
                clock.instant(), thumbnail.orientation(), thumbnail.colorSpace()), thumbnail.jpeg());
    }

    private static boolean isOutputMarked(StoredObject object) {
        return OUTPUT_MARKER.entrySet()
            .stream()
            .allMatch(marker -> marker.getValue().equals(object.metadata().get(marker.getKey())));
    }

    private String tooLarge(long bytes) {
        return "object is " + bytes + " bytes, over the limit of " + maxInputBytes + " bytes";
    }
}
