package io.github.lambdaimageprocessor.image;

import java.util.Map;
import java.util.Optional;

/**
 * Buckets of objects: S3, or folders for a local run.
 *
 * <p>Infrastructure failures (unreachable, access denied, missing bucket) are thrown as unchecked exceptions that name
 * the object; they are not bad input and must reach the caller so the delivery is retried.
 */
public interface ImageStore {

    /**
     * Reads an object.
     *
     * @return the object, or empty when no object has that key (deleted before we got to it)
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    Optional<StoredObject> read(ObjectRef ref);

    /**
     * Writes (or overwrites) an object.
     *
     * @param metadata user metadata to store with it
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata);
}
