package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * Where thumbnails go: a bucket and a key prefix. The thumbnail of source key K is {@code prefix + K}, so the name is
 * deterministic (a repeated event overwrites instead of multiplying) and distinct source keys never collide.
 */
public record OutputLocation(String bucket, String prefix) {

    public OutputLocation {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
    }

    public ObjectRef thumbnailOf(ObjectRef source) {
        return new ObjectRef(bucket, prefix + source.key());
    }

    /**
     * Whether an object lies where thumbnails are written, so it is one of ours and never an upload. Processing it
     * would make a thumbnail of a thumbnail and, were the processed bucket watched, trigger us again.
     */
    public boolean contains(ObjectRef object) {
        return object.bucket().equals(bucket) && object.key().startsWith(prefix);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
