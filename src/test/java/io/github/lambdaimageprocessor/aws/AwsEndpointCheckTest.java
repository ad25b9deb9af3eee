package io.github.lambdaimageprocessor.aws;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An endpoint that is not an http(s) URL stops start-up naming it: the first AWS client built used to fail on it
 * while a Path setting was being converted, and Spring Boot blamed whichever image-processor property came first.
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsEndpointCheckTest {

    private static void start(String endpoint) {
        new SpringApplication(ImageProcessorApplication.class).run("--spring.profiles.active=aws",
                "--spring.main.web-application-type=none", "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test", "--spring.cloud.aws.credentials.secret-key=test",
                "--image-processor.topic-arn=arn:aws:sns:us-east-1:123456789012:t",
                // plain log lines: profile aws's structured ones would stay on for the tests after these in the JVM
                "--logging.structured.format.console=",
                "--spring.cloud.aws.endpoint=" + endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1:4566", "http://[bad", "localhost", "ftp://127.0.0.1:4566" })
    void anEndpointThatIsNotAnHttpUrlIsRefusedNamingIt(String endpoint, CapturedOutput output) {
        assertThatThrownBy(() -> start(endpoint)).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("SPRING_CLOUD_AWS_ENDPOINT (spring.cloud.aws.endpoint) must be an http or https URL")
            .doesNotContain("Property: image-processor.topic-arn");
    }

    @Test
    void anEndpointForSomeServicesOnlyWarnsThatTheOthersGoToAws() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.s3.endpoint",
                "http://127.0.0.1:4566");

        assertThat(AwsEndpointCheck.mixed(environment)).hasValue("SPRING_CLOUD_AWS_S3_ENDPOINT=http://127.0.0.1:4566 "
                + "is set, but DynamoDB and SNS have no endpoint (neither SPRING_CLOUD_AWS_ENDPOINT nor their own), so "
                + "they go to AWS itself. For moto or LocalStack, set SPRING_CLOUD_AWS_ENDPOINT instead, which all of "
                + "them use.");
    }

    @Test
    void oneEndpointForAllOrEachServicesOwnSaysNothing() {
        assertThat(AwsEndpointCheck.mixed(new MockEnvironment()
            .withProperty("spring.cloud.aws.endpoint", "http://127.0.0.1:4566")
            .withProperty("spring.cloud.aws.s3.endpoint", "http://127.0.0.1:9000"))).isEmpty();
        assertThat(AwsEndpointCheck.mixed(new MockEnvironment()
            .withProperty("spring.cloud.aws.s3.endpoint", "http://127.0.0.1:4566")
            .withProperty("spring.cloud.aws.dynamodb.endpoint", "http://127.0.0.1:4566")
            .withProperty("spring.cloud.aws.sns.endpoint", "http://127.0.0.1:4566"))).isEmpty();
        assertThat(AwsEndpointCheck.mixed(new MockEnvironment())).isEmpty();
    }

    @Test
    void theCheckLogsTheWarningInProfileAws(CapturedOutput output) {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.sns.endpoint",
                "http://127.0.0.1:4566");
        environment.setActiveProfiles("aws");
        DeferredLogs logs = new DeferredLogs();

        new AwsEndpointCheck(logs).postProcessEnvironment(environment, null);
        logs.switchOverAll();

        assertThat(output.getAll()).contains("WARN")
            .contains("SPRING_CLOUD_AWS_SNS_ENDPOINT=http://127.0.0.1:4566 is set, but S3 and DynamoDB have no "
                    + "endpoint");
    }
}
