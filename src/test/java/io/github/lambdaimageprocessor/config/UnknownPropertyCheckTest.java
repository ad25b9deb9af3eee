package io.github.lambdaimageprocessor.config;

import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnknownPropertyCheckTest {

    private static void check(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", properties));
        new EnvironmentVariableAliases().postProcessEnvironment(environment, null);
        new UnknownPropertyCheck().postProcessEnvironment(environment, null);
    }

    @Test
    void everySettingIsKnownInEachOfSpringsRelaxedForms() {
        assertThatNoException().isThrownBy(() -> check(
                Map.of("IMAGE_PROCESSOR_LIMITS_MAX_PIXELS", "1000000", "IMAGEPROCESSOR_LIMITS_MAXINPUTSIZE", "5MB",
                        "IMAGE_PROCESSOR_UPLOADS_ALLOW_ANONYMOUS", "true", "DDB_TABLE", "t", "PATH", "/bin"),
                Map.of("image-processor.limits.max-upload-size", "5MB", "image-processor.thumbnail.width", "200",
                        "image-processor.limits.maxDecodedPixels", "2000000", "image-processor.uploads.key_prefix",
                        "in/", "image-processor.failover.peer-region", "eu-west-1", "image-processor.local.root",
                        "/tmp/data", "spring.main.banner-mode", "off", "image-processor-other.x", "y")));
    }

    private static final String HEADING = "No setting has these names, so they would be ignored:\n  - ";

    /** The names a refusal lists under its heading, one a line, as start-up's report shows them. */
    private static List<String> listed(SettingException refusal) {
        String description = new SettingFailureAnalyzer().analyze(refusal).getDescription();
        assertThat(description).startsWith(HEADING);
        return List.of(description.substring(HEADING.length()).split("\n  - ", -1));
    }

    @Test
    void aMisspeltPropertyIsRefusedWithTheNearestSetting() {
        assertThatExceptionOfType(SettingException.class)
            .isThrownBy(() -> check(Map.of(), Map.of("image-processor.limits.max-input-szie", "5MB")))
            .satisfies(e -> assertThat(listed(e)).singleElement().asString()
                .startsWith("image-processor.limits.max-input-szie (application.properties)")
                .endsWith("did you mean image-processor.limits.max-input-size?"))
            .satisfies(e -> assertThat(new SettingFailureAnalyzer().analyze(e).getAction()).isEqualTo(
                    "Correct or remove them. The image-processor settings are (also as environment variables, "
                            + "IMAGE_PROCESSOR_LIMITS_MAX_PIXELS for image-processor.limits.max-pixels; see "
                            + "docs/configuration.md):\n  " + String.join("\n  ", UnknownPropertyCheck.knownNames())));
    }

    @Test
    void aMisspeltVariableIsRefusedWithTheVariableToSet() {
        assertThatExceptionOfType(SettingException.class)
            .isThrownBy(() -> check(Map.of("IMAGE_PROCESSOR_LIMITS_MAX_PIXEL", "5"), Map.of()))
            .satisfies(e -> assertThat(listed(e)).singleElement().asString()
                .contains("environment variable IMAGE_PROCESSOR_LIMITS_MAX_PIXEL")
                .endsWith("did you mean IMAGE_PROCESSOR_LIMITS_MAX_PIXELS?"));
    }

    @Test
    void misspeltNamesAreFoundInEveryFormSpringBinds() {
        assertThatNoException().isThrownBy(() -> check(Map.of("IMAGEPROCESSOR_LIMITS_MAXPIXELS", "5"),
                Map.of("imageProcessor.thumbnail.width", "100", "image_processor.thumbnail.height", "100")));
        assertThatExceptionOfType(SettingException.class)
            .isThrownBy(() -> check(Map.of("IMAGEPROCESSOR_LIMITS_MAXPIXEL", "5", "IMAGEPROCESSORS_HOME", "/x"),
                    Map.of("imageProcessor.limits.maxPixel", "5", "image_processor.limits.max-pixel", "5")))
            .satisfies(e -> assertThat(listed(e)).hasSize(3)
                .allSatisfy(name -> assertThat(name).contains("did you mean")));
    }

    @Test
    void aNameWhosePartsAreSplitElsewhereIsRefusedForSpringBindsNothingFromIt() {
        // case, dashes and underscores within a part are relaxed, the dots (or a variable's underscores) between parts
        // are not: each of these leaves the default in force
        assertThatExceptionOfType(SettingException.class)
            .isThrownBy(() -> check(Map.of("IMAGE_PROCESSOR_UPLOADS_URLEXPIRY", "10m",
                    "IMAGE_PROCESSOR_LIMITS_MAXINPUTSIZE", "5MB"), Map.of("image-processor.thumbnail-width", "0",
                            "image-processor.in-progress.wait", "0s")))
            .satisfies(e -> assertThat(listed(e)).containsExactlyInAnyOrder(
                    "environment variable IMAGE_PROCESSOR_UPLOADS_URLEXPIRY (systemEnvironment): did you mean "
                            + "IMAGE_PROCESSOR_UPLOADS_URL_EXPIRY?",
                    "environment variable IMAGE_PROCESSOR_LIMITS_MAXINPUTSIZE (systemEnvironment): did you mean "
                            + "IMAGE_PROCESSOR_LIMITS_MAX_INPUT_SIZE?",
                    "image-processor.thumbnail-width (application.properties): did you mean "
                            + "image-processor.thumbnail.width?",
                    "image-processor.in-progress.wait (application.properties): did you mean "
                            + "image-processor.in-progress-wait?"));
    }

    @Test
    void whatTheCheckLetsThroughIsWhatSpringBinds() {
        // each form, on its own: accepted by the check exactly when the binder reads it into the record
        Map<String, Boolean> variables = Map.of("IMAGE_PROCESSOR_THUMBNAIL_WIDTH", true,
                "IMAGEPROCESSOR_THUMBNAIL_WIDTH", true, "image_processor_thumbnail_width", true,
                "IMAGE_PROCESSOR_THUMBNAILWIDTH", false, "IMAGEPROCESSOR_THUMBNAILWIDTH", false);
        variables.forEach((name, binds) -> {
            assertThat(boundWidth(Map.of(name, "99"), Map.of())).as("binds %s", name).isEqualTo(binds ? 99 : 256);
            assertThat(accepted(Map.of(name, "99"), Map.of())).as("accepts %s", name).isEqualTo(binds);
        });
        Map<String, Boolean> properties = Map.of("image-processor.thumbnail.width", true,
                "imageProcessor.thumbnail.width", true, "IMAGE_PROCESSOR.Thumbnail.WIDTH", true,
                "image-processor.thumbnail-width", false, "image-processor.thumbnailwidth", false,
                "imageprocessor.thumbnail.width", true);
        properties.forEach((name, binds) -> {
            assertThat(boundWidth(Map.of(), Map.of(name, "99"))).as("binds %s", name).isEqualTo(binds ? 99 : 256);
            assertThat(accepted(Map.of(), Map.of(name, "99"))).as("accepts %s", name).isEqualTo(binds);
        });
    }

    private static boolean accepted(Map<String, Object> variables, Map<String, Object> properties) {
        try {
            check(variables, properties);
            return true;
        }
        catch (SettingException e) {
            return false;
        }
    }

    private static int boundWidth(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.properties", properties));
        return Binder.get(environment).bindOrCreate("image-processor", ImageProcessorProperties.class).thumbnail()
            .width();
    }

    @Test
    void aNameFarFromEverySettingIsReportedWithoutAGuess() {
        assertThatExceptionOfType(SettingException.class)
            .isThrownBy(() -> check(Map.of(), Map.of("image-processor.colour-profile", "srgb", "image-processor.limits",
                    "1")))
            .satisfies(e -> assertThat(listed(e)).hasSize(2).noneMatch(name -> name.contains("did you mean")));
    }

    @Test
    void theKnownNamesAreEverySettingOfBothRecords() {
        assertThat(UnknownPropertyCheck.knownNames()).contains("image-processor.upload-bucket",
                "image-processor.limits.max-processing-time", "image-processor.metrics.namespace",
                "image-processor.uploads.signing-secret", "image-processor.backfill.list-page-size")
            .doesNotContain("image-processor.limits", "image-processor.uploads");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theAppDoesNotStartAndSaysWhatToChange(CapturedOutput output) {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);

        assertThatThrownBy(() -> application.run("--spring.profiles.active=local", "--server.port=0",
                "--image-processor.thumbnail.qualty=0.9"))
            .isInstanceOf(SettingException.class)
            .hasMessageStartingWith("No setting has these names");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("image-processor.thumbnail.qualty (commandLineArgs): did you mean image-processor.thumbnail.quality?")
            .contains("image-processor.limits.max-pixels");
    }
}
