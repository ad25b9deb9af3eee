package io.github.lambdaimageprocessor.processing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** An {@link ImageStore} in a map, for core tests. */
public final class InMemoryImageStore implements ImageStore {

    private final Map<ObjectRef, StoredObject> objects = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
        StoredObject object = objects.get(ref);
        if (object != null && object.content().length > maxBytes) {
            throw new ObjectTooLargeException(ref, object.content().length);
        }
        return Optional.ofNullable(object);
    }

    /** Stops after the head as S3ImageStore does, so core tests see what a refused head leaves them. */
    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes, int headBytes,
            java.util.function.Predicate<byte[]> worthReading) {
        Optional<StoredObject> read = read(ref, versionId, maxBytes);
        if (read.isEmpty() || read.get().content().length <= headBytes) {
            return read;
        }
        StoredObject object = read.get();
        byte[] head = java.util.Arrays.copyOf(object.content(), headBytes);
        return worthReading.test(head) ? read
                : Optional.of(new StoredObject(head, object.contentType(), object.metadata(), object.eTag(),
                        object.content().length));
    }

    @Override
    public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
        // the eTag S3 computes for a single-part upload
        StoredObject stored = new StoredObject(content.clone(), contentType, metadata, md5(content));
        objects.put(ref, stored);
        return stored.eTag();
    }

    @Override
    public void delete(ObjectRef ref) {
        objects.remove(ref);
    }

    private static String md5(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Stream<ListedObject> list(String bucket, String prefix) {
        return objects.entrySet()
            .stream()
            .filter(entry -> entry.getKey().bucket().equals(bucket) && entry.getKey().key().startsWith(prefix))
            .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ObjectRef::key)))
            .map(entry -> new ListedObject(entry.getKey(), entry.getValue().eTag(), null,
                    (long) entry.getValue().content().length));
    }

    public Map<ObjectRef, StoredObject> objects() {
        return objects;
    }
}
