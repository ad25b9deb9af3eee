package io.github.lambdaimageprocessor.config;

import java.time.Clock;
import java.time.Instant;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/** The upload API as {@link UploadConfiguration} wires it from the properties. */
class UploadConfigurationTest {

    @EnableConfigurationProperties({ ImageProcessorProperties.class, UploadProperties.class })
    static class Ports {

        @Bean
        InMemoryMetadataRepository metadata() {
            return new InMemoryMetadataRepository();
        }

        @Bean
        InMemoryImageStore store() {
            return new InMemoryImageStore();
        }

        @Bean
        ImageProcessor processor(InMemoryImageStore store, InMemoryMetadataRepository metadata) {
            return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata,
                    new RecordingNotifier(), new OutputLocation("processed", "thumbnails/"), 50_000_000,
                    Clock.systemUTC());
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Ports.class, UploadConfiguration.class);

    @Test
    void inAPairTheApiFindsTheRecordsThePeerRegionMade() {
        runner.withPropertyValues("image-processor.failover.peer-upload-bucket=uploads-there").run(context -> {
            context.getBean(InMemoryMetadataRepository.class)
                .save(ProcessedImage.rejected(new ImageObject("uploads-there", "browser/a.jpg", null, null, 4L,
                        "image/jpeg"), "not a JPEG: content is text", Instant.parse("2026-12-04T10:00:00Z")));

            assertThat(context.getBean(ImageApi.class).status("browser/a.jpg").source().bucket())
                .isEqualTo("uploads-there");
        });
    }
}
