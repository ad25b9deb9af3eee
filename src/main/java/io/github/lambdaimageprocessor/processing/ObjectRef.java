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

    private static final int SHOWN_KEY_CHARS = 120;

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

    /** A key for a message: quoted, and cut short when long, so a refusal never echoes kilobytes. */
    public static String shown(String key) {
        if (key.length() <= SHOWN_KEY_CHARS) {
            return "'" + key + "'";
        }
        // never between the halves of a surrogate pair (an emoji): the answer's JSON would carry half a character
        int end = Character.isHighSurrogate(key.charAt(SHOWN_KEY_CHARS - 1)) ? SHOWN_KEY_CHARS - 1 : SHOWN_KEY_CHARS;
        return "'" + key.substring(0, end) + "...' (" + key.getBytes(StandardCharsets.UTF_8).length
                + " bytes)";
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
