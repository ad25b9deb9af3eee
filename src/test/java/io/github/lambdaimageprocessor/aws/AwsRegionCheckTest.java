package io.github.lambdaimageprocessor.aws;

import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.config.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A region that is not an AWS region is named at start with the ones meant: the SDK took any name, so the app started
 * and failed every upload, against AWS with a warning that blamed the network or DNS, against moto with two warnings
 * of "(HTTP 500)".
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsRegionCheckTest {

    @ParameterizedTest
    @ValueSource(strings = { "us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1", "aws-global",
            // the SDK's way of asking for FIPS endpoints in us-east-1
            "fips-us-east-1", "us-east-1-fips" })
    void theSdksRegionsAreKnown(String region) {
        assertThat(AwsRegionCheck.isKnown(region)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "eu-north-9", "us-esat-1", "us-gov-north-7" })
    void namesAPartitionAllowsAreNotKnownButFitOne(String region) {
        assertThat(AwsRegionCheck.isKnown(region)).isFalse();
        assertThat(AwsRegionCheck.fitsAPartition(region)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "us-east1", "eu-west", "US-EAST-1", "us-east-1 ", "local", "europe-west1", "fips-" })
    void otherNamesAreNeither(String region) {
        assertThat(AwsRegionCheck.isKnown(region)).isFalse();
        assertThat(AwsRegionCheck.fitsAPartition(region)).isFalse();
    }

    @Test
    void aMisspeltRegionIsAnsweredWithTheNearestOnes() {
        assertThat(AwsRegionCheck.nearest("us-east1")).containsExactly("us-east-1");
        assertThat(AwsRegionCheck.nearest("US-EAST-1")).containsExactly("us-east-1");
        assertThat(AwsRegionCheck.nearest("eu-west")).containsExactly("eu-west-1", "eu-west-2", "eu-west-3");
        assertThat(AwsRegionCheck.nearest("local")).isEmpty();
    }

    @Test
    void aStaticRegionThatIsNotAnAwsRegionStopsTheStartWithoutAnEndpoint(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplication(ImageProcessorApplication.class).run(
                "--spring.profiles.active=aws", "--spring.main.web-application-type=none",
                "--spring.cloud.aws.region.static=us-east1", "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--image-processor.topic-arn=arn:aws:sns:us-east-1:123456789012:t",
                // plain log lines: profile aws's structured ones would stay on for the tests after these in the JVM
                "--logging.structured.format.console="))
            .isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("SPRING_CLOUD_AWS_REGION_STATIC (spring.cloud.aws.region.static) is 'us-east1', which is not "
                    + "an AWS region: did you mean us-east-1? S3, DynamoDB and SNS have no endpoint, so AWS itself "
                    + "would be asked, which has no such region, and every upload would fail")
            .contains("Set SPRING_CLOUD_AWS_REGION_STATIC to the region of the buckets, table and topic, e.g. "
                    + "SPRING_CLOUD_AWS_REGION_STATIC=us-east-1.")
            .doesNotContain("no network, or no DNS?");
    }

    @Test
    void aRegionFromAwsRegionIsNamedAsSuch() {
        ConfigurableEnvironment environment = awsEnvironment(Map.of("AWS_REGION", "eu-west"));

        assertThatThrownBy(() -> check(environment)).isInstanceOf(SettingException.class)
            .hasMessage("AWS_REGION is 'eu-west', which is not an AWS region: did you mean eu-west-1, eu-west-2 or "
                    + "eu-west-3? S3, DynamoDB and SNS have no endpoint, so AWS itself would be asked, which has no "
                    + "such region, and every upload would fail")
            .extracting(e -> ((SettingException) e).action())
            .isEqualTo("Set AWS_REGION to the region of the buckets, table and topic, e.g. AWS_REGION=eu-west-1.");
    }

    @Test
    void theSystemPropertyGoesBeforeAwsRegionAsInTheSdk() {
        ConfigurableEnvironment environment = awsEnvironment(Map.of("AWS_REGION", "eu-west-1"));
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new MapPropertySource(
                    StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("aws.region", "eu-west1")));

        assertThatThrownBy(() -> check(environment)).isInstanceOf(SettingException.class)
            .hasMessageStartingWith("the system property aws.region is 'eu-west1', which is not an AWS region: did "
                    + "you mean eu-west-1?")
            .extracting(e -> ((SettingException) e).action())
            .isEqualTo("Set -Daws.region to the region of the buckets, table and topic, e.g. -Daws.region=eu-west-1.");
    }

    @Test
    void aServicesOwnRegionGoesBeforeTheStaticOne() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "us-east-1")
            .withProperty("spring.cloud.aws.sns.region", "useast-1");
        environment.setActiveProfiles("aws");

        assertThatThrownBy(() -> check(environment)).isInstanceOf(SettingException.class)
            .hasMessageStartingWith("SPRING_CLOUD_AWS_SNS_REGION (spring.cloud.aws.sns.region) is 'useast-1', which "
                    + "is not an AWS region: did you mean us-east-1? SNS has no endpoint");
    }

    @Test
    void anEndpointForSomeServicesOnlyStillRefusesForTheOthers() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "us-east1")
            .withProperty("spring.cloud.aws.s3.endpoint", "http://127.0.0.1:4566");
        environment.setActiveProfiles("aws");

        assertThatThrownBy(() -> check(environment)).isInstanceOf(SettingException.class)
            .hasMessageContaining("did you mean us-east-1? DynamoDB and SNS have no endpoint");
    }

    @Test
    void withAnEndpointForAllItWarnsAndTheAppStarts(CapturedOutput output) {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "us-east1")
            .withProperty("spring.cloud.aws.endpoint", "http://127.0.0.1:5000");
        environment.setActiveProfiles("aws");
        DeferredLogs logs = new DeferredLogs();

        assertThatNoException().isThrownBy(() -> new AwsRegionCheck(logs).postProcessEnvironment(environment, null));
        logs.switchOverAll();

        assertThat(output.getAll()).contains("WARN")
            .contains("SPRING_CLOUD_AWS_REGION_STATIC (spring.cloud.aws.region.static) is 'us-east1', which is not "
                    + "an AWS region: did you mean us-east-1? The app starts, as the endpoint http://127.0.0.1:5000 "
                    + "may take any name (moto answers DynamoDB and SNS in it with HTTP 500): set "
                    + "SPRING_CLOUD_AWS_REGION_STATIC to the region the buckets, table and topic were made in");
    }

    @Test
    void aNameAPartitionAllowsOnlyWarnsAsItMayBeARegionNewerThanTheSdk(CapturedOutput output) {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.cloud.aws.region.static",
                "us-eat-1");
        environment.setActiveProfiles("aws");
        DeferredLogs logs = new DeferredLogs();

        assertThatNoException().isThrownBy(() -> new AwsRegionCheck(logs).postProcessEnvironment(environment, null));
        logs.switchOverAll();

        assertThat(output.getAll()).contains("WARN")
            .contains("SPRING_CLOUD_AWS_REGION_STATIC (spring.cloud.aws.region.static) is 'us-eat-1', which is not "
                    + "an AWS region this SDK knows: did you mean us-east-1? The app starts, in case it is a region "
                    + "newer than the SDK; if it is a typo, every upload will fail");
    }

    @Test
    void regionsAwsHasAndProfileLocalPass() {
        MockEnvironment aws = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "eu-central-2");
        aws.setActiveProfiles("aws");
        MockEnvironment local = new MockEnvironment().withProperty("spring.cloud.aws.region.static", "us-east1");

        assertThatNoException().isThrownBy(() -> check(aws));
        assertThatNoException().isThrownBy(() -> check(local));
        assertThat(AwsRegionCheck.unknown(aws)).isEmpty();
    }

    private static void check(ConfigurableEnvironment environment) {
        new AwsRegionCheck(new DeferredLogs()).postProcessEnvironment(environment, null);
    }

    /** Profile aws, with these environment variables in place of the process's. */
    private static ConfigurableEnvironment awsEnvironment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                    StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                    new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));
        environment.setActiveProfiles("aws");
        return environment;
    }
}
