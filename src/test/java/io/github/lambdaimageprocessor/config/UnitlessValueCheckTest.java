package io.github.lambdaimageprocessor.config;

import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A duration or a size written without a unit is refused: Spring reads {@code url-expiry=5} as 5 milliseconds and
 * {@code max-upload-size=20} as 20 bytes, so every upload URL had expired when used, every upload got 413.
 */
class UnitlessValueCheckTest {

    private static void check(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", properties));
        new UnitlessValueCheck().postProcessEnvironment(environment, null);
    }

    @Test
    void durationsAndSizesWithAUnitOrZeroPass() {
        assertThatNoException().isThrownBy(() -> check(Map.of("IMAGE_PROCESSOR_LIMITS_MAX_UPLOAD_SIZE", "20MB"),
                Map.of("image-processor.uploads.url-expiry", "5m", "image-processor.in-progress-wait", "0",
                        "image-processor.failover.refresh", "PT30S", "image-processor.limits.upload-memory", "512B",
                        "image-processor.thumbnail.width", "128", "image-processor.concurrency", "4")));
    }

    @Test
    void aNumberWithoutAUnitIsRefusedWithWhatItWouldMean() {
        assertThatThrownBy(() -> check(Map.of("IMAGE_PROCESSOR_LIMITS_MAX_UPLOAD_SIZE", "20"),
                Map.of("image-processor.uploads.url-expiry", "5", "image-processor.limits.max-input-size",
                        "99999999999999999999")))
            .isInstanceOfSatisfying(SettingException.class, refused -> {
                FailureAnalysis analysis = new SettingFailureAnalyzer().analyze(refused);
                assertThat(analysis.getDescription()).startsWith("These durations and sizes have no unit, so Spring "
                        + "would read them as milliseconds and bytes:\n  - ")
                    .contains("\n  - image-processor.limits.max-upload-size=20 would be 20 bytes: write 20MB, 20KB "
                            + "or 20B")
                    .contains("\n  - image-processor.uploads.url-expiry=5 would be 5 milliseconds: write 5s, 5m or 5ms")
                    .contains("\n  - image-processor.limits.max-input-size=99999999999999999999 would be");
                // in name order, the same on every run
                assertThat(analysis.getDescription().indexOf("max-input-size"))
                    .isLessThan(analysis.getDescription().indexOf("max-upload-size"));
                assertThat(analysis.getDescription().indexOf("max-upload-size"))
                    .isLessThan(analysis.getDescription().indexOf("url-expiry"));
                assertThat(analysis.getAction()).isEqualTo("Add the unit you mean (durations: ms, s, m, h, d; "
                        + "sizes: B, KB, MB, GB); see docs/configuration.md.");
            });
    }

    @Test
    void theValueThatWinsIsChecked() {
        // the environment variable overrides the file, so the file's unitless value would never be used
        assertThatNoException().isThrownBy(() -> check(Map.of("IMAGE_PROCESSOR_UPLOADS_URL_EXPIRY", "5m"),
                Map.of("image-processor.uploads.url-expiry", "5")));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theAppDoesNotStartAndSaysWhatToWrite(CapturedOutput output) {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);

        assertThatThrownBy(() -> application.run("--spring.profiles.active=local",
                "--spring.main.web-application-type=none", "--image-processor.limits.max-processing-time=20"))
            .isInstanceOf(SettingException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("image-processor.limits.max-processing-time=20 would be 20 milliseconds")
            .contains("20s");
    }
}
