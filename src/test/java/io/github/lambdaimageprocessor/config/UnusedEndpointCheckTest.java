package io.github.lambdaimageprocessor.config;

import java.nio.file.Path;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An AWS endpoint set without SPRING_PROFILES_ACTIVE=aws: the app runs locally, and says that the endpoint is unused.
 */
class UnusedEndpointCheckTest {

    @Test
    void anEndpointWithoutAnyProfileIsNamedWithTheProfileThatUsesIt() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.endpoint",
                "http://127.0.0.1:5000");

        assertThat(UnusedEndpointCheck.warning(environment)).hasValueSatisfying(warning -> assertThat(warning)
            .startsWith("SPRING_CLOUD_AWS_ENDPOINT (spring.cloud.aws.endpoint) is http://127.0.0.1:5000, but no "
                    + "profile is active, so the app runs in profile local, which does not use it")
            .contains("Set SPRING_PROFILES_ACTIVE=aws"));
    }

    @Test
    void aServicesOwnEndpointIsNamedToo() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.s3.endpoint",
                "http://127.0.0.1:4566");

        assertThat(UnusedEndpointCheck.warning(environment)).hasValueSatisfying(warning -> assertThat(warning)
            .startsWith("SPRING_CLOUD_AWS_S3_ENDPOINT (spring.cloud.aws.s3.endpoint)"));
    }

    @Test
    void aChosenProfileOrNoEndpointSaysNothing() {
        MockEnvironment local = new MockEnvironment().withProperty("spring.cloud.aws.endpoint",
                "http://127.0.0.1:5000");
        local.setActiveProfiles("local");

        assertThat(UnusedEndpointCheck.warning(local)).isEmpty();
        assertThat(UnusedEndpointCheck.warning(new MockEnvironment())).isEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theAppStartsLocallyAndWarns(CapturedOutput output, @TempDir Path data) {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (var context = application.run("--spring.cloud.aws.endpoint=http://127.0.0.1:5000",
                "--image-processor.local.root=" + data)) {
            assertThat(context.getEnvironment().getActiveProfiles()).isEmpty();
        }

        assertThat(output.getAll()).contains("WARN")
            .contains("SPRING_CLOUD_AWS_ENDPOINT (spring.cloud.aws.endpoint) is http://127.0.0.1:5000, but no "
                    + "profile is active");
    }
}
