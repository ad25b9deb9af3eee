package io.github.lambdaimageprocessor.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** A wrong setting stops start-up with a message that names the property; the defaults start. */
class ImageProcessorPropertiesTest {

    @EnableConfigurationProperties(ImageProcessorProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void theDefaultsRunWithNoAwsAccount() {
        runner.run(context -> {
            ImageProcessorProperties properties = context.getBean(ImageProcessorProperties.class);
            assertThat(properties.uploadBucket()).isEqualTo("uploads");
            assertThat(properties.processedBucket()).isEqualTo("processed");
            assertThat(properties.outputPrefix()).isEqualTo("thumbnails/");
            assertThat(properties.thumbnail().width()).isEqualTo(256);
            assertThat(properties.limits().maxPixels()).isEqualTo(100_000_000L);
            assertThat(properties.limits().minUploadRate()).isEqualTo(DataSize.ofKilobytes(16));
            assertThat(properties.limits().minUploadRateGrace()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.effectiveConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        });
    }

    @Test
    void theCoreDefaultSettingsAreWhatTheDefaultConfigurationRecords() {
        // the core cannot see the resizer's version constant; this keeps its copy from falling behind
        runner.run(context -> assertThat(ImageProcessorConfiguration
            .thumbnailSettings(context.getBean(ImageProcessorProperties.class)))
            .isEqualTo(io.github.lambdaimageprocessor.processing.ImageProcessor.DEFAULT_SETTINGS));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "image-processor.upload-bucket | Not_A_Bucket | image-processor.upload-bucket must be a valid S3 bucket name",
            "image-processor.processed-bucket | ab | image-processor.processed-bucket must be a valid S3 bucket name",
            "image-processor.thumbnail.width | 0 | image-processor.thumbnail.width must be 1 to 8192, got 0",
            "image-processor.thumbnail.quality | 1.5 | image-processor.thumbnail.quality must be 0.01 to 1.0",
            "image-processor.limits.max-pixels | -1 | image-processor.limits.max-pixels must be positive",
            "image-processor.limits.max-processing-time | 0s | image-processor.limits.max-processing-time must be positive",
            "image-processor.concurrency | 65 | image-processor.concurrency must be 0 (one per CPU) to 64, got 65",
            "image-processor.in-progress-wait | 31s | image-processor.in-progress-wait must be 0 to 30s, got PT31S",
            "image-processor.in-progress-wait | -1s | image-processor.in-progress-wait must be 0 to 30s, got PT-1S",
            "image-processor.limits.max-decoded-pixels | 999999 | image-processor.limits.max-decoded-pixels must be at least 1000000",
            "image-processor.limits.min-upload-rate | -1KB | image-processor.limits.min-upload-rate must be 0 (no floor) or more bytes per second",
            "image-processor.limits.min-upload-rate-grace | 0s | image-processor.limits.min-upload-rate-grace must be positive",
            "image-processor.failover.refresh | -1s | image-processor.failover.refresh must be 0s to 1h",
            "image-processor.failover.active-region-parameter | /a b | image-processor.failover.active-region-parameter must be an SSM parameter name" })
    void refusesAWrongValueNamingTheProperty(String property, String value, String message) {
        runner.withPropertyValues(property + "=" + value)
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining(message));
    }

    @Test
    void refusesThumbnailsInTheUploadBucketWithoutAPrefixBecauseTheyWouldLoop() {
        runner.withPropertyValues("image-processor.upload-bucket=photos", "image-processor.processed-bucket=photos",
                "image-processor.output-prefix=")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("output-prefix must not be empty when processed-bucket is the upload-bucket"));
    }

    @Test
    void refusesADecodeBudgetSmallerThanTheThumbnailBox() {
        runner.withPropertyValues("image-processor.thumbnail.width=2000", "image-processor.thumbnail.height=1000",
                "image-processor.limits.max-decoded-pixels=1500000")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("image-processor.limits.max-decoded-pixels must hold at least the thumbnail box "
                        + "(2000x1000 = 2000000 pixels), got 1500000"));
    }

    @Test
    void refusesAnUploadLimitAboveTheInputLimitBecauseSuchUploadsWouldBeStoredThenRejected() {
        runner.withPropertyValues("image-processor.limits.max-upload-size=100MB")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("image-processor.limits.max-upload-size (104857600 bytes) must not exceed "
                        + "image-processor.limits.max-input-size (52428800 bytes)"));
        runner.withPropertyValues("image-processor.limits.max-upload-size=100MB",
                "image-processor.limits.max-input-size=100MB")
            .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aLowerInputLimitAloneLowersTheUploadLimitWithItInsteadOfStoppingStartUp() {
        // a deployment that only lowered max-input-size (the processImage function, which takes no upload at all)
        // started before the upload limit had to stay within it: its default follows the input limit down
        runner.withPropertyValues("image-processor.limits.max-input-size=10MB").run(context -> {
            assertThat(context).hasNotFailed();
            ImageProcessorProperties.Limits limits = context.getBean(ImageProcessorProperties.class).limits();
            assertThat(limits.maxUploadSize().toBytes()).isEqualTo(10L << 20);
        });
        runner.run(context -> assertThat(context.getBean(ImageProcessorProperties.class).limits().maxUploadSize()
            .toBytes()).isEqualTo(20L << 20));
        runner.withPropertyValues("image-processor.limits.max-input-size=10MB",
                "image-processor.limits.max-upload-size=20MB")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("image-processor.limits.max-upload-size (20971520 bytes) must not exceed"));
    }

    @ParameterizedTest(name = "output-prefix={0}")
    @CsvSource(delimiter = '|', value = { "../thumbnails/", "/thumbnails/", "thumbnails//", "./thumbnails/",
            "a/../b/", "thumbnails\\" })
    void refusesAnOutputPrefixNoThumbnailCouldBeWrittenUnder(String prefix) {
        // the local store refuses such keys, so every image used to be recorded as REJECTED, its upload's fault
        runner.withPropertyValues("image-processor.output-prefix=" + prefix)
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("image-processor.output-prefix may not start with '/', hold a backslash"));
    }

    @ParameterizedTest(name = "output-prefix={0}")
    @CsvSource(delimiter = '|', value = { "thumbnails/", "thumbs-", "t/256/", "v1.2/..x" })
    void acceptsAnOutputPrefixThumbnailsCanBeWrittenUnder(String prefix) {
        runner.withPropertyValues("image-processor.output-prefix=" + prefix)
            .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theThumbnailSpecCarriesTheConfiguredValues() {
        runner.withPropertyValues("image-processor.thumbnail.width=128", "image-processor.thumbnail.quality=0.5",
                "image-processor.limits.max-processing-time=3s")
            .run(context -> {
                var spec = context.getBean(ImageProcessorProperties.class).thumbnailSpec();
                assertThat(spec.box()).hasToString("128x256");
                assertThat(spec.quality()).isEqualTo(0.5f);
                assertThat(spec.timeLimit()).hasSeconds(3);
            });
    }

    @Test
    void acceptsThumbnailsInTheUploadBucketUnderAPrefix() {
        runner.withPropertyValues("image-processor.upload-bucket=photos", "image-processor.processed-bucket=photos",
                "image-processor.output-prefix=thumbnails/")
            .run(context -> assertThat(context).hasNotFailed());
    }
}
