package io.github.lambdaimageprocessor.processing;

import java.util.Map;
import java.util.Optional;

/**
 * An {@link ImageStore} that reads, writes and deletes through an in-memory store, for tests that override one of
 * those to make it fail, pause or cross another write (everything else is {@link ImageStore}'s default).
 */
class ForwardingImageStore implements ImageStore {

    private final InMemoryImageStore store;

    ForwardingImageStore(InMemoryImageStore store) {
        this.store = store;
    }

    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
        return store.read(ref, versionId, maxBytes);
    }

    @Override
    public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
        return store.write(ref, content, contentType, meta);
    }

    @Override
    public void delete(ObjectRef ref) {
        store.delete(ref);
    }
}
