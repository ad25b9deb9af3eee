package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * Where thumbnails go: a bucket and a key prefix. The thumbnail of source key K is {@code prefix + K}, so the name is
 * deterministic (a repeated event overwrites instead of multiplying) and distinct source keys never collide.
 *
 * @param bucket the processed bucket
 * @param prefix the key prefix of every thumbnail (may be empty when the bucket is not the upload bucket)
 * @param sharedWithUploads whether uploads arrive in this bucket too (allowed with a prefix only); when they do not, the
 *        whole bucket is ours and nothing in it is an upload
 */
public record OutputLocation(String bucket, String prefix, boolean sharedWithUploads) {

    public OutputLocation {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        if (sharedWithUploads && prefix.isEmpty()) {
            // thumbnails could not be told apart from uploads, and each would be processed again
            throw new IllegalArgumentException("a processed bucket that also receives uploads needs a key prefix");
        }
    }

    /** A processed bucket of its own, which receives no uploads. */
    public OutputLocation(String bucket, String prefix) {
        this(bucket, prefix, false);
    }

    /** Where thumbnails go, given the bucket uploads arrive in. */
    public static OutputLocation of(String uploadBucket, String processedBucket, String prefix) {
        return new OutputLocation(processedBucket, prefix, processedBucket.equals(uploadBucket));
    }

    public ObjectRef thumbnailOf(ObjectRef source) {
        return new ObjectRef(bucket, prefix + source.key());
    }

    /**
     * Whether an object lies where thumbnails are written, so it is one of ours and never an upload: anything in a
     * processed bucket of its own, whatever the key (a notification configured on it by mistake, a thumbnail renamed
     * or copied within it), or a key under the prefix when the bucket receives uploads too. Processing it would make
     * a thumbnail of a thumbnail and, were the processed bucket watched, trigger us again.
     */
    public boolean contains(ObjectRef object) {
        return object.bucket().equals(bucket) && (!sharedWithUploads || object.key().startsWith(prefix));
    }

    @Override
    public String toString() {
        return sharedWithUploads ? "s3://" + bucket + "/" + prefix : "s3://" + bucket + "/";
    }
}
