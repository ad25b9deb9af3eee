package io.github.lambdaimageprocessor.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.github.lambdaimageprocessor.processing.BackfillResult;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ListedObject;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;

/**
 * Finishes the uploads the local app had accepted and not finished when it last stopped (killed, a power cut): S3
 * would deliver such an upload's event again, the folders deliver nothing, so the upload stayed without thumbnail,
 * record and notification until someone ran a backfill.
 *
 * <p>Once the app has started, in a thread of its own (the app answers meanwhile), it walks the upload bucket's folder
 * and takes each object written before the start that has no record, whose record names other bytes (the key
 * uploaded again, its new photo stored and not yet recorded), whose record a delivery claimed and never notified, or
 * whose thumbnail is not whole ({@link ImageProcessor#hasThumbnailInPlace}: written, but not its
 * properties; or, under a REJECTED record, still there), through {@link ImageProcessor#backfill}: the exactly-once path for an object no event names (a
 * conditional write, so an upload of the same key meanwhile keeps its record), notifying it as its upload would have
 * been. A claim younger than {@link ImageProcessor#CLAIM_LEASE} may belong to a delivery still at work (another process
 * on the same folder), so it is taken up once the lease has passed. One object at a time, and the walk holds no list
 * of keys: a folder of 100,000 uploads costs a record read each, not their keys in memory. One log line says how many
 * it found and finished.
 */
final class UnfinishedUploads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UnfinishedUploads.class);

    /** Waits until a young claim's lease has passed; {@code Thread::sleep} but in tests. */
    @FunctionalInterface
    interface Pause {

        void sleep(Duration duration) throws InterruptedException;
    }

    /** What one pass did with the unfinished uploads it found. */
    record Summary(int processed, int rejected, int doneMeanwhile, int failed) {

        int found() {
            return processed + rejected + doneMeanwhile + failed;
        }

        int finished() {
            return processed + rejected;
        }
    }

    private final FileSystemImageStore store;

    private final MetadataRepository metadata;

    private final ImageProcessor processor;

    private final String bucket;

    private final Clock clock;

    private final Pause pause;

    /** Before any upload of this run could arrive: what was written earlier is the last run's. */
    private final Instant startedAt;

    /** How long a temporary file written before the start must stay unchanged to count as abandoned. */
    static final Duration LEFTOVER_QUIET = Duration.ofMinutes(1);

    /** Unreadable files or folders named one by one in the log; the rest are counted. */
    private static final int UNREADABLE_SHOWN = 5;

    private volatile Thread worker;

    private volatile boolean stopping;

    UnfinishedUploads(FileSystemImageStore store, MetadataRepository metadata, ImageProcessor processor, String bucket,
            Clock clock) {
        this(store, metadata, processor, bucket, clock, duration -> Thread.sleep(duration));
    }

    UnfinishedUploads(FileSystemImageStore store, MetadataRepository metadata, ImageProcessor processor, String bucket,
            Clock clock, Pause pause) {
        this.store = store;
        this.metadata = metadata;
        this.processor = processor;
        this.bucket = bucket;
        this.clock = clock;
        this.pause = pause;
        this.startedAt = clock.instant();
    }

    @Override
    public void start() {
        Thread thread = new Thread(() -> {
            try {
                finish();
            }
            catch (RuntimeException e) {
                log.warn("Could not look for uploads left unfinished in s3://{}/ when the app last stopped: {}; "
                        + "'backfill' finishes them", bucket, e.toString());
            }
        }, "unfinished-uploads");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        stopping = true;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        Thread thread = worker;
        return thread != null && thread.isAlive();
    }

    /** Finishes what the last run left, logs one line when there was any, and answers what it did. */
    Summary finish() {
        Counts counts = new Counts();
        // young claims, few (what was in work when the app stopped): taken up when their lease has passed
        List<Due> later = new ArrayList<>();
        int[] unreadable = { 0 };
        store.forEachWrittenBefore(bucket, startedAt, object -> {
            if (stopping) {
                return false;
            }
            take(object.ref(), object.modified(), counts, later);
            return true;
        }, e -> {
            // one folder the app may not read (copied in with other owners) costs its own uploads, not the rest
            if (++unreadable[0] <= UNREADABLE_SHOWN) {
                log.warn("Could not read a file or folder while looking for uploads left unfinished in s3://{}/ "
                        + "({}): what it holds stays as it is", bucket, printable(e.toString()));
            }
        });
        if (unreadable[0] > UNREADABLE_SHOWN) {
            log.warn("... and {} more files or folders of s3://{}/ could not be read", unreadable[0] - UNREADABLE_SHOWN,
                    bucket);
        }
        later.sort(Comparator.comparing(Due::at));
        if (!later.isEmpty()) {
            // said, or the summary line would come up to a lease later with nothing to explain the wait
            log.info("Waiting until {} for the claim{} of {} upload{} left in work when the app last stopped to lapse "
                    + "(a delivery in another process may still finish {}), then finishing {}", later.getLast().at(),
                    later.size() == 1 ? "" : "s", later.size(), later.size() == 1 ? "" : "s",
                    later.size() == 1 ? "it" : "them", later.size() == 1 ? "it" : "them");
        }
        for (Due due : later) {
            if (!waitUntil(due.at())) {
                break;
            }
            take(due.object(), null, counts, null);
        }
        Summary summary = counts.summary();
        if (summary.found() > 0) {
            log.info("Finished {} of {} uploads left unfinished in s3://{}/ when the app last stopped ({} processed, "
                    + "{} rejected{}{})", summary.finished(), summary.found(), bucket, summary.processed(),
                    summary.rejected(),
                    summary.doneMeanwhile() == 0 ? ""
                            : ", " + summary.doneMeanwhile() + " done meanwhile by an upload or gone",
                    summary.failed() == 0 ? "" : ", " + summary.failed() + " failed: see the warnings above; "
                            + "'backfill' finishes them");
        }
        // after the line on the uploads: a temporary file written in the minute before the start holds it back a minute
        removeLeftoverWrites();
        return summary;
    }

    /**
     * Removes the temporary files of writes the last run never finished (a file the size of the upload, for one killed
     * while it stored a photo), which nothing lists or reads and nothing else would remove. A write still at work in
     * another process on the same folder (a {@code backfill} beside the app) writes its file every moment and renames
     * it within seconds, so only a file written before the start and left unchanged for {@link #LEFTOVER_QUIET} is
     * taken for abandoned.
     */
    private void removeLeftoverWrites() {
        if (stopping) {
            return;
        }
        List<AtomicFiles.Leftover> leftovers;
        try {
            leftovers = store.leftoverWrites(startedAt);
        }
        catch (java.io.UncheckedIOException e) {
            log.warn("Could not look for temporary files of writes left unfinished when the app last stopped: {}",
                    e.toString());
            return;
        }
        if (leftovers.isEmpty()) {
            return;
        }
        Instant quiet = leftovers.stream()
            .map(leftover -> leftover.modified().toInstant())
            .max(Comparator.naturalOrder())
            .orElseThrow()
            .plus(LEFTOVER_QUIET);
        if (!waitUntil(quiet)) {
            return;
        }
        int removed = 0;
        long bytes = 0;
        for (AtomicFiles.Leftover leftover : leftovers) {
            try {
                if (AtomicFiles.removeIfUnchanged(leftover)) {
                    removed++;
                    bytes += leftover.size();
                }
            }
            catch (java.io.IOException e) {
                log.warn("Could not remove {}, a write left unfinished when the app last stopped: {}",
                        leftover.file(), e.toString());
            }
        }
        if (removed > 0) {
            log.info("Removed {} temporary file{} ({} bytes) of writes left unfinished when the app last stopped",
                    removed, removed == 1 ? "" : "s", bytes);
        }
    }

    /** Pauses until {@code at} if it is still to come; false when the app stops meanwhile (interrupted). */
    private boolean waitUntil(Instant at) {
        Duration wait = Duration.between(clock.instant(), at);
        try {
            if (wait.isPositive()) {
                pause.sleep(wait);
            }
            return true;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A claim to take up once its lease has passed. */
    private record Due(ObjectRef object, Instant at) {
    }

    /**
     * Finishes the object if its last run left it unfinished; with {@code later} null (its lease has passed, looked at
     * again) a claim is finished whatever its age.
     *
     * @param modified when the object's file was last written, or null when it was already looked at
     */
    private void take(ObjectRef object, Instant modified, Counts counts, List<Due> later) {
        if (stopping || processor.output().contains(object)) {
            // a thumbnail, where the processed bucket is the upload bucket: no upload of its own
            return;
        }
        try {
            Optional<ProcessedImage> recorded = metadata.find(object);
            boolean notify;
            if (recorded.isEmpty()) {
                // stored, then the app stopped before the record: its notification was never sent
                notify = true;
            }
            else if (ImageProcessor.isUnfinished(recorded.get())) {
                Instant lapses = recorded.get().processedAt().plus(ImageProcessor.CLAIM_LEASE);
                if (later != null && clock.instant().isBefore(lapses)) {
                    later.add(new Due(object, lapses));
                    return;
                }
                // the backfill sends the notification the claim owes
                notify = false;
            }
            else if (modified != null && isReplacedSince(object, modified, recorded.get())) {
                // the key uploaded again (an avatar replaced): the new photo stored, then the app stopped before its
                // record, which is still the earlier upload's, finished and notified. Its notification was never sent
                notify = true;
            }
            else if (!processor.hasThumbnailInPlace(recorded.get())) {
                // recorded and notified, but its thumbnail is missing or was cut short: the app stopped between
                // writing the thumbnail and its properties (or a backfill run did). Made again, nobody notified again.
                // Or REJECTED with the earlier upload's thumbnail still there (stopped before its delete): removed
                notify = false;
            }
            else {
                return;
            }
            BackfillResult result = processor.backfill(ListedObject.of(object), false, notify);
            switch (result.kind()) {
                case PROCESSED -> counts.processed++;
                case REJECTED -> counts.rejected++;
                default -> counts.doneMeanwhile++;
            }
        }
        catch (RuntimeException e) {
            counts.failed++;
            log.warn("Could not finish {}, left unfinished when the app last stopped: {}",
                    printable(object.toString()), e.toString());
        }
    }

    /**
     * Whether the file holds other bytes than the record names: written after the record was made (an upload stores
     * the photo before it records it, so a finished upload's file is older than its record) and with another eTag.
     * Only such files have their eTag asked, which their properties give unless the stop cut them off too (the file
     * is then hashed); a folder of finished uploads costs no read more.
     */
    private boolean isReplacedSince(ObjectRef object, Instant modified, ProcessedImage recorded) {
        String recordedETag = recorded.version() == null ? null : recorded.version().eTag();
        if (recordedETag == null || recorded.processedAt() == null || !modified.isAfter(recorded.processedAt())) {
            return false;
        }
        return store.eTagOf(object, null)
            .map(ObjectVersion::bareETag)
            .filter(eTag -> !eTag.equals(recordedETag))
            .isPresent();
    }

    private static final class Counts {

        int processed;

        int rejected;

        int doneMeanwhile;

        int failed;

        Summary summary() {
            return new Summary(processed, rejected, doneMeanwhile, failed);
        }
    }
}
