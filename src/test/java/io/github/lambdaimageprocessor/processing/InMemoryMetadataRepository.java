package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MetadataRepository} in a map with the same conditional-write rule, for core tests. */
public final class InMemoryMetadataRepository implements MetadataRepository {

    private final Map<ObjectRef, ProcessedImage> records = new ConcurrentHashMap<>();

    @Override
    public boolean save(ProcessedImage image) {
        boolean[] saved = { false };
        records.compute(image.source().ref(), (ref, stored) -> {
            if (stored == null || image.version() == null || image.version().supersedes(stored.version())) {
                saved[0] = true;
                return image;
            }
            return stored;
        });
        return saved[0];
    }

    @Override
    public boolean replace(ProcessedImage image, ProcessedImage expected) {
        boolean[] saved = { false };
        records.compute(image.source().ref(), (ref, stored) -> {
            if (expected == null ? stored == null : stored != null && sameRecord(stored, expected)) {
                saved[0] = true;
                return image;
            }
            return stored;
        });
        return saved[0];
    }

    private static boolean sameRecord(ProcessedImage a, ProcessedImage b) {
        return a.processedAt().equals(b.processedAt()) && java.util.Objects.equals(a.notifiedAt(), b.notifiedAt());
    }

    @Override
    public boolean release(ProcessedImage claim, Instant lapsedAt) {
        boolean[] released = { false };
        records.computeIfPresent(claim.source().ref(), (ref, stored) -> {
            if (sameRecord(stored, claim) && ObjectVersion.names(claim.version(), stored.version())) {
                released[0] = true;
                return stored.withProcessedAt(lapsedAt);
            }
            return stored;
        });
        return released[0];
    }

    @Override
    public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
        records.computeIfPresent(source,
                (ref, stored) -> ObjectVersion.names(version, stored.version()) ? stored.withNotifiedAt(at)
                        : stored);
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        return Optional.ofNullable(records.get(source));
    }

    @Override
    public Page<ProcessedImage> findRecent(int limit, String cursor) {
        return RecentFirst.page(java.util.List.copyOf(records.values()), limit, cursor);
    }

    public Map<ObjectRef, ProcessedImage> records() {
        return records;
    }
}
