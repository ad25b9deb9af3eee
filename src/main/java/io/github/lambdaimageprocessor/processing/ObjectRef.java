package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * Where an object lives: a bucket and a key, the key already URL-decoded (S3 events carry it encoded).
 *
 * @param bucket bucket name, never blank
 * @param key object key as S3 stores it, never empty
 */
public record ObjectRef(String bucket, String key) {

    public ObjectRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
