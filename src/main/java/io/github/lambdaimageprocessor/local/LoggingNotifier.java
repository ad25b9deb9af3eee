package io.github.lambdaimageprocessor.local;

import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Notifications for a local run: one log line per outcome. */
class LoggingNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotifier.class);

    @Override
    public void imageProcessed(ProcessedImage image) {
        switch (image.status()) {
            case PROCESSED -> log.info("Processed s3://{}/{} ({}x{}) -> s3://{}/{} ({}x{}, {} bytes)",
                    image.source().bucket(), image.source().key(), image.source().width(), image.source().height(),
                    image.output().bucket(), image.output().key(), image.output().width(), image.output().height(),
                    image.output().bytes());
            case REJECTED -> log.warn("Rejected s3://{}/{}: {}", image.source().bucket(), image.source().key(),
                    image.reason());
            case SKIPPED -> log.info("Skipped s3://{}/{}: {}", image.source().bucket(), image.source().key(),
                    image.reason());
        }
    }
}
