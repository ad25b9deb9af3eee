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
 */
public record StoredObject(byte[] content, String contentType, Map<String, String> metadata, String eTag) {

    public StoredObject {
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        eTag = ObjectVersion.bareETag(eTag);
    }

    public StoredObject(byte[] content, String contentType, Map<String, String> metadata) {
        this(content, contentType, metadata, null);
    }
}
