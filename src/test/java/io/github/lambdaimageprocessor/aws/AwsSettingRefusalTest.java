package io.github.lambdaimageprocessor.aws;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A setting that only profile aws reads, and that is wrong, stops start-up with Spring Boot's summary naming it, not
 * with a stack trace of the beans that needed it. Each is refused before the start asks AWS anything
 * ({@link AwsResourceCheck}), so no server is needed.
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsSettingRefusalTest {

    private static void start(String... settings) {
        // plain log lines: profile aws's structured ones would stay on for the tests after these in the JVM
        String[] arguments = new String[settings.length + 6];
        arguments[0] = "--spring.profiles.active=aws";
        arguments[1] = "--spring.main.web-application-type=none";
        arguments[2] = "--spring.cloud.aws.region.static=us-east-1";
        arguments[3] = "--spring.cloud.aws.credentials.access-key=test";
        arguments[4] = "--spring.cloud.aws.credentials.secret-key=test";
        arguments[5] = "--logging.structured.format.console=";
        System.arraycopy(settings, 0, arguments, 6, settings.length);
        new SpringApplication(ImageProcessorApplication.class).run(arguments);
    }

    @Test
    void aMissingTopicIsReportedAsNotSetNamingTheVariable(CapturedOutput output) {
        assertThatThrownBy(() -> start()).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("SNS_TOPIC_ARN (image-processor.topic-arn) is not set")
            .contains("Set SNS_TOPIC_ARN to the topic's ARN, e.g. SNS_TOPIC_ARN=arn:aws:sns:")
            .doesNotContain("got ''")
            .doesNotContain("Application run failed");
    }

    @Test
    void anEmptyTopicIsReportedAsNotSet(CapturedOutput output) {
        assertThatThrownBy(() -> start("--image-processor.topic-arn=")).isNotNull();

        assertThat(output.getAll()).contains("SNS_TOPIC_ARN (image-processor.topic-arn) is not set")
            .doesNotContain("got ''");
    }

    @Test
    void aTopicNameInsteadOfItsArnIsReportedWithTheValue(CapturedOutput output) {
        assertThatThrownBy(() -> start("--image-processor.topic-arn=image-processed")).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("Profile aws needs the full ARN of the SNS topic in SNS_TOPIC_ARN (image-processor.topic-arn), "
                    + "got 'image-processed'");
    }

    @Test
    void aPeerRegionThatIsThisRegionIsReportedNamingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start("--image-processor.topic-arn=arn:aws:sns:us-east-1:123456789012:t",
                "--image-processor.failover.active-region-parameter=/active-region",
                "--image-processor.failover.peer-region=us-east-1")).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("PEER_REGION (image-processor.failover.peer-region) is us-east-1, the region this instance "
                    + "runs in")
            .doesNotContain("Application run failed");
    }
}
