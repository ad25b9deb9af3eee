package io.github.lambdaimageprocessor.thumbnail;

import java.util.Objects;
import java.util.concurrent.Semaphore;

import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.Thumbnail;

/**
 * Lets at most N resizes run at once, however many requests or records arrive together. Decoding is CPU- and
 * memory-heavy: more resizes than cores buys no throughput, only heap pressure, so the rest wait their turn.
 */
public final class ConcurrencyLimitedResizer implements Resizer {

    private final Resizer delegate;

    private final Semaphore permits;

    public ConcurrencyLimitedResizer(Resizer delegate, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.permits = new Semaphore(maxConcurrent, true);
    }

    @Override
    public Thumbnail resize(byte[] image) throws RejectedImageException {
        permits.acquireUninterruptibly();
        try {
            return delegate.resize(image);
        }
        finally {
            permits.release();
        }
    }
}
