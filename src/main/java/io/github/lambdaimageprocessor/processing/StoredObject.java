package io.github.lambdaimageprocessor.processing;

import java.util.Map;
import java.util.Objects;

/**
 * An object's content as read from an {@link ImageStore}.
 *
 * @param content the bytes
 * @param contentType the stored content type, or null when the store has none
 * @param metadata user metadata (S3 {@code x-amz-meta-*}), never null
 * @param eTag the object's eTag without quotes, or null when the store does not say
 * @param size the object's size in bytes: {@code content.length}, or more when the read stopped after the head
 *        ({@link ImageStore#read(ObjectRef, String, long, java.util.function.Predicate)})
 */
public record StoredObject(byte[] content, String contentType, Map<String, String> metadata, String eTag, long size) {

    public StoredObject {
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        eTag = ObjectVersion.bareETag(eTag);
        if (size < content.length) {
            throw new IllegalArgumentException("size " + size + " is less than the " + content.length + " bytes read");
        }
    }

    public StoredObject(byte[] content, String contentType, Map<String, String> metadata, String eTag) {
        this(content, contentType, metadata, eTag, content.length);
    }

    /** True when only the head was read: {@link #content} is a prefix of the object. */
    public boolean partial() {
        return size > content.length;
    }

    public StoredObject(byte[] content, String contentType, Map<String, String> metadata) {
        this(content, contentType, metadata, null);
    }
}
