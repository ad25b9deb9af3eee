package io.github.lambdaimageprocessor.local;

import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;

/**
 * Notifications for a local run: one log line per outcome. Keys and reasons are escaped, so a key holding a line break
 * cannot forge a line of the log.
 */
class LoggingNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(LoggingNotifier.class);

    @Override
    public void imageProcessed(ProcessedImage image) {
        switch (image.status()) {
            case PROCESSED -> log.info("Processed {} ({}x{}) -> {} ({}x{}, {} bytes)", location(image.source()),
                    image.source().width(), image.source().height(), location(image.output()), image.output().width(),
                    image.output().height(), image.output().bytes());
            case REJECTED -> log.warn("Rejected {}: {}", location(image.source()), printable(image.reason()));
            case SKIPPED -> log.info("Skipped {}: {}", location(image.source()), printable(image.reason()));
        }
    }

    private static String location(ImageObject object) {
        return printable("s3://" + object.bucket() + "/" + object.key());
    }
}
