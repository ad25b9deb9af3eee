package io.github.lambdaimageprocessor.local;

import java.nio.file.Path;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code local}, the default ({@code spring.profiles.default}): no AWS account, everything under
 * {@code image-processor.local.root}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class LocalConfiguration {

    @Bean
    ImageStore imageStore(ImageProcessorProperties properties) {
        return new FileSystemImageStore(properties.local().root());
    }

    @Bean
    MetadataRepository metadataRepository(ImageProcessorProperties properties, JsonMapper json) {
        Path folder = properties.local().root().toAbsolutePath().normalize().resolve(".metadata");
        return new FileMetadataRepository(folder, json);
    }

    @Bean
    Notifier notifier() {
        return new LoggingNotifier();
    }
}
