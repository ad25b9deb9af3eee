package io.github.lambdaimageprocessor.image;

import java.util.Optional;

/**
 * The durable record of what became of each uploaded object, one record per source object (a repeated event updates
 * it). DynamoDB on AWS, files for a local run.
 */
public interface MetadataRepository {

    /** Saves the record for {@code image.source()}, replacing an earlier one. */
    void save(ProcessedImage image);

    /** The record for a source object, if one was saved. */
    Optional<ProcessedImage> find(ObjectRef source);
}
