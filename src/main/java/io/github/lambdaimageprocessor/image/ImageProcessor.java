package io.github.lambdaimageprocessor.image;

import java.time.Clock;
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

    public ProcessedImage process(UploadEvent event) {
        ProcessedImage outcome = decide(event).withEvent(event.info());
        if (outcome.status() != Status.SKIPPED) {
            metadata.save(outcome);
            notifier.imageProcessed(outcome);
        }
        return outcome;
    }

    private ProcessedImage decide(UploadEvent event) {
        ObjectRef sourceRef = event.object();
        ImageObject unread = ImageObject.unread(sourceRef);
        if (event.size() != null && event.size() > maxInputBytes) {
            return ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(), null, null,
                    event.size(), null), tooLarge(event.size()), clock.instant());
        }
        Optional<StoredObject> read;
        try {
            read = store.read(sourceRef);
        }
        catch (InvalidObjectKeyException e) {
            return ProcessedImage.rejected(unread, e.getMessage(), clock.instant());
        }
        if (read.isEmpty()) {
            return ProcessedImage.skipped(unread, "object no longer exists", clock.instant());
        }
        StoredObject source = read.get();
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
                clock.instant());
    }

    private String tooLarge(long bytes) {
        return "object is " + bytes + " bytes, over the limit of " + maxInputBytes + " bytes";
    }
}
