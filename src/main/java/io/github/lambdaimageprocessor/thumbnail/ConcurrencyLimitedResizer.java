package io.github.lambdaimageprocessor.thumbnail;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.Thumbnail;

/**
 * Lets at most N resizes run at once, however many requests or records arrive together. Decoding is CPU- and
 * memory-heavy: more resizes than cores buys no throughput, only heap pressure, so the rest wait their turn. A resize
 * rejected at its time limit while its decode goes on ({@link StillRunningException}) holds its permit until the
 * decode ends, so decodes that cannot be stopped never outnumber the limit.
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

    /** No permit: the head is looked at, not decoded. */
    @Override
    public Optional<String> refusalByHead(byte[] head) {
        return delegate.refusalByHead(head);
    }

    @Override
    public Thumbnail resize(byte[] image) throws RejectedImageException {
        permits.acquireUninterruptibly();
        boolean handedOver = false;
        try {
            return delegate.resize(image);
        }
        catch (StillRunningException e) {
            // the image is answered, its decode is not over: the permit is freed when the decode ends
            handedOver = true;
            e.finished().whenComplete((done, failure) -> permits.release());
            throw e;
        }
        finally {
            if (!handedOver) {
                permits.release();
            }
        }
    }

}
