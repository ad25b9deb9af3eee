package io.github.lambdaimageprocessor.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code image-processor.uploads.allowed-origins} as start-up binds it, from a property or the environment. */
class UploadPropertiesTest {

    @EnableConfigurationProperties(UploadProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Properties.class);

    private static ApplicationContextRunner withEnvironment(ApplicationContextRunner runner, String value) {
        return runner.withInitializer(context -> context.getEnvironment()
            .getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource("env",
                    Map.of("IMAGE_PROCESSOR_UPLOADS_ALLOWED_ORIGINS", value))));
    }

    @Test
    void noOriginIsAllowedByDefault() {
        runner.run(context -> {
            UploadProperties uploads = context.getBean(UploadProperties.class);
            assertThat(uploads.allowedOrigins()).isEmpty();
            assertThat(uploads.origins().isEmpty()).isTrue();
        });
    }

    @Test
    void theEnvironmentVariableListsOriginsSeparatedByCommas() {
        withEnvironment(runner, "https://app.example.com,http://localhost:3000").run(context -> {
            UploadProperties uploads = context.getBean(UploadProperties.class);
            assertThat(uploads.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
            assertThat(uploads.origins().allow("http://localhost:3000")).isPresent();
        });
    }

    /** The template passes its parameter whether or not it is set: empty is none, not an empty origin. */
    @Test
    void anEmptyEnvironmentVariableAllowsNone() {
        withEnvironment(runner, "").run(context -> assertThat(context.getBean(UploadProperties.class)
            .allowedOrigins()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "https://*.example.com", "https://app.example.com/", "https://app.example.com/app",
            "app.example.com", "ftp://app.example.com" })
    void startUpRefusesAValueThatIsNotAnOriginNamingThePropertyAndTheValue(String value) {
        runner.withPropertyValues("image-processor.uploads.allowed-origins=https://ok.example.com," + value)
            .run(context -> {
                assertThat(context).hasFailed();
                // the innermost cause: what Spring Boot's start-up report gives as the reason
                Throwable cause = context.getStartupFailure();
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                assertThat(cause).isInstanceOf(IllegalArgumentException.class);
                assertThat(cause.getMessage()).contains("image-processor.uploads.allowed-origins")
                    .contains("UploadsAllowedOrigins")
                    .contains("'" + value + "'");
            });
    }
}
