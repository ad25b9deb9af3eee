package io.github.lambdaimageprocessor.web;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import org.springframework.stereotype.Component;

/**
 * Stores an upload in the upload bucket, makes the event S3 would send for it and processes it. The event carries the
 * eTag the store reports for what it wrote and a sequencer that grows with every upload, so the processor tells
 * versions apart and orders them exactly as it does for real S3 events. One per application, shared by every route
 * that takes uploads, so no two uploads get the same sequencer.
 */
@Component
final class LocalUploads {

    private final AtomicLong lastSequencer = new AtomicLong();

    /**
     * Sequencers handed out above a key's recorded one (after a hand-posted event), sortable: only such keys, so
     * this stays as small as the number of hand-made events.
     */
    private final Map<ObjectRef, String> issuedAboveRecords = new ConcurrentHashMap<>();

    /** Striped: uploads of one key queue behind each other, others rarely share a stripe. */
    private final Object[] keyLocks = Stream.generate(Object::new).limit(64).toArray();

    private final ImageStore store;

    private final ImageProcessor processor;

    private final MetadataRepository metadata;

    LocalUploads(ImageStore store, ImageProcessor processor, MetadataRepository metadata) {
        this.store = store;
        this.processor = processor;
        this.metadata = metadata;
    }

    /**
     * Stores the upload and processes it, handing the processor the bytes just written rather than having it read
     * them back: a copy of the whole upload saved.
     */
    Processed storeAndProcess(ObjectRef object, byte[] content, String contentType) {
        return storeAndProcess(object, content, contentType, false);
    }

    /**
     * As {@link #storeAndProcess(ObjectRef, byte[], String)}, but only when no object has the key yet, as a presigned
     * S3 upload signed with {@code If-None-Match: *} is: a granted upload is made once, not replayed until it expires.
     *
     * @throws ApiException 412 when an object has the key already
     */
    Processed storeNewAndProcess(ObjectRef object, byte[] content, String contentType) {
        return storeAndProcess(object, content, contentType, true);
    }

    private Processed storeAndProcess(ObjectRef object, byte[] content, String contentType, boolean onlyIfNew) {
        UploadEvent event = store(object, content, contentType, onlyIfNew);
        StoredObject stored = new StoredObject(content, contentType, Map.of(), event.version().eTag());
        return new Processed(event, processor.process(event, stored));
    }

    /** An upload stored and processed: the event made for it, and the outcome. */
    record Processed(UploadEvent event, ProcessedImage result) {
    }

    private UploadEvent store(ObjectRef object, byte[] content, String contentType, boolean onlyIfNew) {
        String eTag;
        String sequencer;
        // the write and its sequencer under one lock per key, as S3 orders them: of two uploads of one key, the one
        // stored last must get the greater sequencer, or its event would count as the older and its content never
        // get a thumbnail
        synchronized (keyLocks[Math.floorMod(object.hashCode(), keyLocks.length)]) {
            if (onlyIfNew && store.exists(object)) {
                throw new ApiException(412, "Precondition Failed", "This upload URL has been used: an object "
                        + "has its key already. Ask POST /uploads for another.");
            }
            eTag = store.write(object, content, contentType, Map.of());
            // microseconds since the epoch, bumped when two uploads share one: increasing across restarts too
            long next = lastSequencer.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
            sequencer = aboveRecorded(object, Long.toHexString(next));
        }
        return new UploadEvent(object, (long) content.length, new ObjectVersion(null, eTag, sequencer), null);
    }

    /**
     * {@code candidate}, or one more than the key's recorded sequencer when that is not below it: an event posted by
     * hand to {@code /processImage} may carry any sequencer (the sample event's has 18 digits), and an upload after
     * it must still count as the later one, as every write after an event does on S3.
     */
    private String aboveRecorded(ObjectRef object, String candidate) {
        // what was handed out above a record counts too: the upload before this one may not have saved its own yet
        String floor = Stream.of(metadata.find(object).map(ProcessedImage::version)
            .map(ObjectVersion::sortableSequencer)
            .orElse(null), issuedAboveRecords.get(object))
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
        if (floor == null || new ObjectVersion(null, null, candidate).sortableSequencer().compareTo(floor) > 0) {
            return candidate;
        }
        String above = new BigInteger(floor, 16).add(BigInteger.ONE).toString(16).toUpperCase(Locale.ROOT);
        issuedAboveRecords.put(object, new ObjectVersion(null, null, above).sortableSequencer());
        return above;
    }
}
