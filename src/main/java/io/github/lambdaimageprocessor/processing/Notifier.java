package io.github.lambdaimageprocessor.processing;

/**
 * Tells people what became of an upload: SNS (email) on AWS, the log for a local run.
 */
public interface Notifier {

    /** Publishes one notification for this outcome, whatever its status. */
    void imageProcessed(ProcessedImage image);

}
