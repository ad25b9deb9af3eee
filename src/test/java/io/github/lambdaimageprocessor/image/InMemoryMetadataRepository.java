package io.github.lambdaimageprocessor.image;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MetadataRepository} in a map, for core tests. */
public final class InMemoryMetadataRepository implements MetadataRepository {

    private final Map<ObjectRef, ProcessedImage> records = new ConcurrentHashMap<>();

    @Override
    public void save(ProcessedImage image) {
        records.put(image.source().ref(), image);
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        return Optional.ofNullable(records.get(source));
    }

    public Map<ObjectRef, ProcessedImage> records() {
        return records;
    }
}
