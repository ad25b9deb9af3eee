package io.github.lambdaimageprocessor.processing;

import java.time.Duration;

/**
 * Counts what became of images, for operators: outcomes, time taken and bytes, collected per batch (one Lambda
 * invocation) and published when the batch closes, so a batch's figures leave together even when it fails.
 *
 * <p>An implementation must not fail the work it measures: publishing is best effort.
 */
public interface OutcomeMetrics {

    /** Publishes nothing: the default where no one collects metrics (local runs, commands). */
    OutcomeMetrics NONE = requestId -> new Batch() {

        @Override
        public void outcome(ProcessedImage image, Duration took) {
        }

        @Override
        public void failure(ObjectRef object, Duration took) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts collecting one batch.
     *
     * @param requestId the id of the invocation the batch belongs to, or null when unknown
     */
    Batch start(String requestId);

    /** The outcomes of one batch; {@link #close()} publishes them. Records may be added from several threads. */
    interface Batch extends AutoCloseable {

        /** One image was decided (processed, rejected or skipped) in {@code took}. */
        void outcome(ProcessedImage image, Duration took);

        /**
         * One image failed for an infrastructure reason after {@code took}; the delivery will be retried.
         *
         * @param object the image, or null when its event record named none
         */
        void failure(ObjectRef object, Duration took);

        /** Publishes what was collected. */
        @Override
        void close();
    }
}
