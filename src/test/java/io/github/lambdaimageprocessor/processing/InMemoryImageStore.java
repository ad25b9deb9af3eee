package io.github.lambdaimageprocessor.processing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    @Override
    public void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
        objects.put(ref, new StoredObject(content.clone(), contentType, metadata));
    }

    public Map<ObjectRef, StoredObject> objects() {
        return objects;
    }
}
