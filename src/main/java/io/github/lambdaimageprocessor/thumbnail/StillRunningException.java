package io.github.lambdaimageprocessor.thumbnail;

import java.util.concurrent.CompletableFuture;

import io.github.lambdaimageprocessor.processing.RejectedImageException;

/**
 * An image rejected for taking longer than its time limit while its decode goes on: work in native code (libjpeg,
 * the JDK's colour engine) notices no abort. Whoever bounds how many images are decoded at once keeps counting this
 * one until {@link #finished()} completes, or the decodes that cannot be stopped would pile up beyond the bound.
 */
final class StillRunningException extends RejectedImageException {

    private final transient CompletableFuture<Void> finished;

    StillRunningException(String reason, CompletableFuture<Void> finished) {
        super(reason);
        this.finished = finished;
    }

    /** Completes when the abandoned decode has really stopped. */
    CompletableFuture<Void> finished() {
        return finished;
    }
}
