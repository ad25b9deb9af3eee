package io.github.lambdaimageprocessor.image;

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

    private final ImageStore store;
    private final Resizer resizer;
    private final MetadataRepository metadata;
    private final Notifier notifier;
    private final OutputLocation output;
    private final long maxInputBytes;
    private final Clock clock;

    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock) {
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
     * Processes one event, at most once per object version.
     *
     * <p>The steps, and what a retry after a failure between them does:
     * <ol>
     * <li>look up the record of this object: the same version recorded and notified means a repeated delivery
     * (SKIPPED, nothing written); recorded but not notified means an earlier attempt failed after recording, so only
     * the notification is sent now; a later version recorded means this event is stale (SKIPPED);</li>
     * <li>read, resize and write the thumbnail (its key is derived from the source key, so a retry overwrites it);</li>
     * <li>save the record, conditionally: if a concurrent delivery of this or a later version saved first, this one
     * is SKIPPED and notifies nobody;</li>
     * <li>notify, then mark the record notified. A crash between these two is the one remaining at-least-once edge:
     * the retry notifies again.</li>
     * </ol>
     */
    public ProcessedImage process(UploadEvent event) {
        ObjectRef sourceRef = event.object();
        ImageObject unread = ImageObject.unread(sourceRef);
        if (output.contains(sourceRef)) {
            // our own output: processing it would make a thumbnail of a thumbnail, and on S3 trigger us again
            return ProcessedImage.skipped(unread, "an output of this function (" + output + "), not an upload",
                    clock.instant());
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
                return notifyAndMark(previous);
            }
            if (version.isOlderThan(previous.version())) {
                return ProcessedImage.skipped(unread, "stale event: a later version (sequencer "
                        + previous.version().sequencer() + ") was already processed", clock.instant())
                    .withEvent(event.info());
            }
        }
        ProcessedImage outcome = decide(event, unread).withEvent(event.info());
        if (outcome.status() == Status.SKIPPED) {
            return outcome;
        }
        if (!metadata.save(outcome)) {
            return ProcessedImage.skipped(unread, "already processed: a concurrent delivery of this or a later "
                    + "version was recorded first", clock.instant())
                .withEvent(event.info());
        }
        return notifyAndMark(outcome);
    }

    private ProcessedImage notifyAndMark(ProcessedImage recorded) {
        notifier.imageProcessed(recorded);
        Instant notifiedAt = clock.instant();
        metadata.markNotified(recorded.source().ref(), recorded.version(), notifiedAt);
        return recorded.withNotifiedAt(notifiedAt);
    }

    private ProcessedImage decide(UploadEvent event, ImageObject unread) {
        ObjectRef sourceRef = event.object();
        if (event.size() != null && event.size() > maxInputBytes) {
            return ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(), null, null,
                    event.size(), null), tooLarge(event.size()), clock.instant());
        }
        Optional<StoredObject> read;
        try {
            // the version the event names: a later upload of the same key is its own event's business
            read = store.read(sourceRef, event.versionId(), maxInputBytes);
        }
        catch (InvalidObjectKeyException e) {
            return ProcessedImage.rejected(unread, e.getMessage(), clock.instant());
        }
        catch (ObjectTooLargeException e) {
            return ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(), null, null,
                    e.bytes(), null), tooLarge(e.bytes()), clock.instant());
        }
        if (read.isEmpty()) {
            return ProcessedImage.skipped(unread, "object no longer exists", clock.instant());
        }
        StoredObject source = read.get();
        if (isOutputMarked(source)) {
            return ProcessedImage.skipped(unread, "carries this function's output marker "
                    + OUTPUT_MARKER.keySet().iterator().next() + ", so it is a thumbnail, not an upload",
                    clock.instant());
        }
        long bytes = source.content().length;
        if (bytes > maxInputBytes) {
            return ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    tooLarge(bytes), clock.instant());
        }
        Thumbnail thumbnail;
        try {
            thumbnail = resizer.resize(source.content());
        }
        catch (RejectedImageException e) {
            return ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    e.getMessage(), clock.instant());
        }
        ObjectRef thumbnailRef = output.thumbnailOf(sourceRef);
        try {
            store.write(thumbnailRef, thumbnail.jpeg(), Thumbnail.CONTENT_TYPE, OUTPUT_MARKER);
        }
        catch (InvalidObjectKeyException e) {
            return ProcessedImage.rejected(ImageObject.of(sourceRef, thumbnail.source(), bytes,
                    source.contentType()), e.getMessage(), clock.instant());
        }
        return ProcessedImage.processed(ImageObject.of(sourceRef, thumbnail.source(), bytes, source.contentType()),
                ImageObject.of(thumbnailRef, thumbnail.size(), thumbnail.jpeg().length, Thumbnail.CONTENT_TYPE),
                clock.instant(), thumbnail.orientation(), thumbnail.colorSpace());
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
