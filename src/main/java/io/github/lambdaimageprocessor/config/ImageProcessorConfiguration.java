package io.github.lambdaimageprocessor.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import io.github.lambdaimageprocessor.processing.ThumbnailSettings;
import io.github.lambdaimageprocessor.thumbnail.ConcurrencyLimitedResizer;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the core from the properties. The adapters (ImageStore, MetadataRepository, Notifier) come from the
 * {@code local} or {@code aws} configuration, depending on the active profile.
 */
@Configuration(proxyBeanMethods = false)
class ImageProcessorConfiguration {

    @Bean
    Resizer resizer(ImageProcessorProperties properties) {
        return new ConcurrencyLimitedResizer(new ThumbnailatorResizer(properties.thumbnailSpec()),
                properties.effectiveConcurrency());
    }

    /** Runs the records of one event in parallel; the resizer's own limit bounds the heavy part. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService recordExecutor(ImageProcessorProperties properties) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.effectiveConcurrency(), task -> {
            Thread thread = new Thread(task, "record-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The standby gate comes from the profile that can read the switch (aws); without one every upload is processed.
     */
    @Bean
    ImageProcessor imageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            ImageProcessorProperties properties, ObjectProvider<StandbyGate> standbyGate) {
        StandbyGate gate = standbyGate.getIfAvailable();
        if (gate == null && properties.failover().gated()) {
            // processing everything while the user asked for a gate would double the work of a pair, silently
            throw new SettingException("image-processor.failover.active-region-parameter is set ('"
                    + properties.failover().activeRegionParameter() + "'), but only profile aws can read it (SSM): "
                    + "without it this instance would process every upload, the other region's too.",
                    "Run with SPRING_PROFILES_ACTIVE=aws to read the switch, or leave ACTIVE_REGION_PARAMETER "
                            + "(image-processor.failover.active-region-parameter) unset to process every upload.");
        }
        return new ImageProcessor(store, resizer, metadata, notifier,
                OutputLocation.of(properties.uploadBucket(), properties.processedBucket(),
                        properties.outputPrefix()),
                properties.limits().maxInputSize().toBytes(), Clock.systemUTC(),
                thumbnailSettings(properties), gate == null ? StandbyGate.open() : gate);
    }

    /** What every record says its thumbnail was made with: the configured box and quality, and the resizer version. */
    static ThumbnailSettings thumbnailSettings(ImageProcessorProperties properties) {
        ImageProcessorProperties.ThumbnailProperties thumbnail = properties.thumbnail();
        return new ThumbnailSettings(thumbnail.width(), thumbnail.height(), thumbnail.quality(),
                ThumbnailatorResizer.PIPELINE_VERSION);
    }
}
