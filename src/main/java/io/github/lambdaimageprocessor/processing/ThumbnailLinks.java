package io.github.lambdaimageprocessor.processing;

import java.net.URI;

/**
 * Short-lived links to thumbnails for clients, where the store can make them (S3 presigned GETs), so buckets stay
 * private and the bytes do not pass through the function.
 */
public interface ThumbnailLinks {

    /** A URL that reads {@code thumbnail} for a short while. */
    URI linkTo(ObjectRef thumbnail);
}
