package io.github.lambdaimageprocessor.cli;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The commands, in every profile: the adapters they run on are the profile's. */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

    /** The profile's count of throttled requests (profile aws); locally nothing throttles. */
    @Bean
    Command backfillCommand(ImageProcessor processor, ImageStore store, ImageProcessorProperties properties,
            ObjectProvider<Throttling> throttling) {
        return new BackfillCommand(processor, store, properties.uploadBucket(), properties.effectiveConcurrency(),
                throttling.getIfAvailable(Throttling::none));
    }
}
