package io.github.lambdaimageprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an object lives: a bucket and a key, the key already URL-decoded (S3 events carry it encoded).
 *
 * @param bucket bucket name, never blank
 * @param key object key as S3 stores it, never empty
 */
public record ObjectRef(String bucket, String key) {

    /** S3's limit on a key, in UTF-8 bytes: no bucket, S3's or a local folder, holds a longer one. */
    public static final int MAX_KEY_BYTES = 1024;

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

    /**
     * Refuses a key longer than S3 takes, before any store is asked: a retry would fail the same way, so it is bad
     * input, not an outage.
     *
     * @throws InvalidObjectKeyException naming the key's start and its length
     */
    public void requireKeyWithinLimit() {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidObjectKeyException("key " + shown(key) + " is longer than S3's limit of " + MAX_KEY_BYTES
                    + " bytes");
        }
    }

    /**
     * A key for a message: quoted, cut short when long and its control characters escaped
     * ({@link UntrustedText#excerpt}), so a refusal never echoes kilobytes or carries a line break or a terminal's
     * escape sequence.
     */
    public static String shown(String key) {
        String excerpt = UntrustedText.excerpt(key);
        return key.length() <= UntrustedText.EXCERPT_CHARS ? "'" + excerpt + "'"
                : "'" + excerpt + "' (" + key.getBytes(StandardCharsets.UTF_8).length + " bytes)";
    }

    /** The object for a message: {@link #toString()} with the key as {@link #shown(String)} shows it, unquoted. */
    public String shown() {
        String excerpt = UntrustedText.excerpt(key);
        return "s3://" + bucket + "/" + (key.length() <= UntrustedText.EXCERPT_CHARS ? excerpt
                : excerpt + " (a key of " + key.getBytes(StandardCharsets.UTF_8).length + " bytes)");
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
