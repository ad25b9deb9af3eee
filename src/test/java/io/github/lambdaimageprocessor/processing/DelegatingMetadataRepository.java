package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.Optional;

/** Passes every call on to another repository: a test overrides the one call whose timing it stages. */
public class DelegatingMetadataRepository implements MetadataRepository {

    protected final MetadataRepository delegate;

    public DelegatingMetadataRepository(MetadataRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean save(ProcessedImage image) {
        return delegate.save(image);
    }

    @Override
    public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
        delegate.markNotified(source, version, at);
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        return delegate.find(source);
    }

    @Override
    public Page<ProcessedImage> findRecent(int limit, String cursor) {
        return delegate.findRecent(limit, cursor);
    }

    @Override
    public boolean replace(ProcessedImage image, ProcessedImage expected) {
        return delegate.replace(image, expected);
    }

    @Override
    public boolean release(ProcessedImage claim, Instant lapsedAt) {
        return delegate.release(claim, lapsedAt);
    }
}
