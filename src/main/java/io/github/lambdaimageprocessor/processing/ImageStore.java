package io.github.lambdaimageprocessor.processing;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Buckets of objects: S3, or folders for a local run.
 *
 * <p>Infrastructure failures (unreachable, access denied, missing bucket) are thrown as unchecked exceptions that name
 * the object; they are not bad input and must reach the caller so the delivery is retried.
 */
public interface ImageStore {

    /**
     * Whether keys may hold letters of any script: S3 takes any UTF-8; a store of files only what the file system's
     * name encoding can write ({@link Uploads} then keeps the names it chooses in ASCII).
     */
    default boolean takesKeysInAnyScript() {
        return true;
    }

    /**
     * Reads the current version of an object, whatever its size.
     *
     * @return the object, or empty when no object has that key (deleted before we got to it)
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    default Optional<StoredObject> read(ObjectRef ref) {
        return read(ref, null, Long.MAX_VALUE);
    }

    /**
     * Reads one version of an object, refusing to load more than {@code maxBytes}.
     *
     * @param versionId the version to read (an event names the version it is about), or null for the current one;
     *        stores without versions ignore it
     * @param maxBytes the largest object to load; a larger one is refused before its content is read
     * @return the object, or empty when no object (or no such version) exists
     * @throws ObjectTooLargeException when the object is larger than {@code maxBytes}
     * @throws ObjectArchivedException when the object must be restored from an archive before it can be read
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes);

    /**
     * Reads like {@link #read(ObjectRef, String, long)}, but may stop after the object's first {@code headBytes}
     * bytes when {@code worthReading} says the rest is not wanted: the object is then answered with those bytes as its
     * content and its whole {@link StoredObject#size() size}. A store where the whole read costs little reads it all.
     */
    default Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes, int headBytes,
            java.util.function.Predicate<byte[]> worthReading) {
        return read(ref, versionId, maxBytes);
    }

    /**
     * Whether an object has the key, without loading it: a read allowed no bytes finds none, or refuses a non-empty
     * object as too large.
     *
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    default boolean exists(ObjectRef ref) {
        try {
            return read(ref, null, 0).isPresent();
        }
        catch (ObjectTooLargeException e) {
            return true;
        }
    }

    /**
     * The user metadata of the current object without its content, so that a backfill can tell whether a thumbnail is
     * the one its record names; empty when there is no such object.
     *
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    default Optional<Map<String, String>> metadataOf(ObjectRef ref) {
        return read(ref).map(StoredObject::metadata);
    }

    /**
     * The eTag of the object (of {@code versionId} when given, else the current version) without reading its content,
     * so that a backfill task that names no eTag can tell an up-to-date object without downloading it, or failing on
     * it because it has moved to an archive class since; empty when there is no such object.
     */
    default Optional<String> eTagOf(ObjectRef ref, String versionId) {
        try {
            return read(ref, versionId, Long.MAX_VALUE).map(StoredObject::eTag);
        }
        catch (ObjectArchivedException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code versionId} names the current version of the object, so that a backfill task naming an older
     * version (an S3 Batch Operations manifest made before the latest upload) leaves the newer version's record and
     * thumbnail alone. An object that no longer exists, or whose current version is a delete marker, has no current
     * version. Stores without versions answer true.
     */
    default boolean isCurrentVersion(ObjectRef ref, String versionId) {
        return true;
    }

    /**
     * Writes (or overwrites) an object.
     *
     * @param metadata user metadata to store with it
     * @return the eTag of the object written, without quotes (what a read or a listing of it reports), or null when
     *         the store does not say
     * @throws InvalidObjectKeyException when this store cannot represent the key
     */
    String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata);

    /**
     * Deletes an object: a thumbnail whose upload was replaced by one that is REJECTED. Nothing happens when no object
     * has the key, so a repeated delete (a redelivery, a retry after a lost answer) succeeds. In a versioned bucket
     * the object is hidden behind a delete marker, as any S3 delete does, and a read of the key finds nothing.
     *
     * @throws InvalidObjectKeyException when this store cannot represent the key (so no object can have it)
     * @throws UnsupportedOperationException from stores that only read and write (test doubles); both adapters delete
     */
    default void delete(ObjectRef ref) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete objects");
    }

    /**
     * Checks, without writing, that this store can hold an object under this key, so a caller can find out before it
     * commits to writing.
     *
     * @throws InvalidObjectKeyException when it cannot
     */
    default void checkWritable(ObjectRef ref) {
    }

    /**
     * Lists the objects of a bucket whose keys start with {@code prefix}, lazily: a page is fetched when the stream
     * reaches it, so a bucket of millions of keys is never held in memory. Close the stream when done.
     *
     * @param prefix the key prefix, or empty for every object
     * @throws RuntimeException (unchecked, naming the bucket) when the listing fails, also while the stream is read
     * @throws UnsupportedOperationException from stores that only read and write single objects (test doubles);
     *         both adapters list
     */
    default Stream<ListedObject> list(String bucket, String prefix) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list buckets");
    }

    /**
     * How many objects {@link #list} finds, by a listing of its own: the total a backfill shows while the listing that
     * feeds its work, which runs only a few objects ahead of it, is still under way. Stores that can count without
     * reading more than the keys should.
     *
     * @throws RuntimeException as {@link #list} does
     */
    default long count(String bucket, String prefix) {
        try (Stream<ListedObject> objects = list(bucket, prefix)) {
            return objects.count();
        }
    }
}
