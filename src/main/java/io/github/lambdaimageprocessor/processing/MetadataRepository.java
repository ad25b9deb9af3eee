package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.Optional;

/**
 * The durable record of what became of each uploaded object: one record per source object, for its latest version.
 * DynamoDB on AWS, files for a local run.
 *
 * <p>Writes are conditional, so that repeated, late and concurrent deliveries of S3 events cannot overwrite a newer
 * outcome or record one version twice; the rule is {@link ObjectVersion#supersedes(ObjectVersion)}, applied atomically
 * by each adapter. How the use case builds exactly-once processing on it: {@code docs/exactly-once.md}.
 */
public interface MetadataRepository {

    /**
     * Saves the record for {@code image.source()} unless the stored record is for the same version or a later one.
     * Records whose version is unknown always replace the stored one.
     *
     * @return true when saved, false when the stored record won
     */
    boolean save(ProcessedImage image);

    /**
     * Marks the record of this source and version as notified. Does nothing when the stored record is for another
     * version by now.
     */
    void markNotified(ObjectRef source, ObjectVersion version, Instant at);

    /** The record for a source object, if one was saved. */
    Optional<ProcessedImage> find(ObjectRef source);

    /**
     * Records newest first (by {@link ProcessedImage#processedAt()}), one page at a time, without reading the whole
     * store on AWS (DynamoDB queries an index).
     *
     * @param limit the most records to return, at least 1
     * @param cursor null for the first page, else the {@link Page#next()} of the previous page
     * @throws InvalidCursorException when the cursor was not handed out by this repository
     */
    Page<ProcessedImage> findRecent(int limit, String cursor);

    /**
     * Saves the record for {@code image.source()} if the stored record is still {@code expected} (same
     * {@code processedAt} and {@code notifiedAt}), or there is none and {@code expected} is null: an optimistic
     * replace, for a backfill that remakes a record it has read, without overwriting what an upload event recorded
     * meanwhile.
     *
     * @return true when saved, false when the stored record changed since {@code expected} was read
     */
    boolean replace(ProcessedImage image, ProcessedImage expected);

    /**
     * Gives a claim back: sets the record's {@code processedAt} to {@code lapsedAt}, so that it reads as a claim whose
     * lease has passed, if the stored record is still exactly {@code claim} (same version as
     * {@link ObjectVersion#names} has it, same {@code processedAt} and {@code notifiedAt}). A delivery or backfill that
     * failed after claiming calls it, so the next one takes the claim over at once rather than wait out the lease;
     * a claim another delivery took over meanwhile, or one marked notified, is left as it is.
     *
     * @return true when given back, false when the stored record is no longer {@code claim}
     */
    boolean release(ProcessedImage claim, Instant lapsedAt);
}
