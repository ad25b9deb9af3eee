package io.github.lambdaimageprocessor.config;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.ThumbnailSettings;
import io.github.lambdaimageprocessor.thumbnail.ConcurrencyLimitedResizer;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the core from the properties. The adapters (ImageStore, MetadataRepository, Notifier) come from the
 * {@code local} or {@code aws} configuration, depending on the active profile.
 */
@Configuration(proxyBeanMethods = false)
class ImageProcessorConfiguration {

    @Bean
    ThumbnailSpec thumbnailSpec(ImageProcessorProperties properties) {
        ImageProcessorProperties.ThumbnailProperties thumbnail = properties.thumbnail();
        ImageProcessorProperties.Limits limits = properties.limits();
        return new ThumbnailSpec(new Dimensions(thumbnail.width(), thumbnail.height()), thumbnail.quality(),
                limits.maxPixels(), limits.maxDecodedPixels(), limits.maxProcessingTime());
    }

    @Bean
    Resizer resizer(ThumbnailSpec spec, ImageProcessorProperties properties) {
        return new ConcurrencyLimitedResizer(new ThumbnailatorResizer(spec), properties.effectiveConcurrency());
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

    @Bean
    ImageProcessor imageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            ImageProcessorProperties properties) {
        return new ImageProcessor(store, resizer, metadata, notifier,
                new OutputLocation(properties.processedBucket(), properties.outputPrefix()),
                properties.limits().maxInputSize().toBytes(), Clock.systemUTC(), thumbnailSettings(properties));
    }

    /** What every record says its thumbnail was made with: the configured box and quality, and the resizer version. */
    static ThumbnailSettings thumbnailSettings(ImageProcessorProperties properties) {
        ImageProcessorProperties.ThumbnailProperties thumbnail = properties.thumbnail();
        return new ThumbnailSettings(thumbnail.width(), thumbnail.height(), thumbnail.quality(),
                ThumbnailatorResizer.PIPELINE_VERSION);
    }
}
