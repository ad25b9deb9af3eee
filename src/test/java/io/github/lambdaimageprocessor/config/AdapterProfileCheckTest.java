package io.github.lambdaimageprocessor.config;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AdapterProfileCheck} and how its refusal is reported. */
class AdapterProfileCheckTest {

    private static MockEnvironment withProfiles(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    @Test
    void profilesWithAnAdapterProfileOrNoneAtAllStart() {
        for (String[] profiles : new String[][] { {}, { "local" }, { "aws", "prod" }, { "mine", "local" } }) {
            assertThatNoException().isThrownBy(
                    () -> new AdapterProfileCheck().postProcessEnvironment(withProfiles(profiles), null));
        }
    }

    @Test
    void profilesWithoutAnAdapterProfileAreNamedWithWhatToAdd() {
        SettingException refused = catchRefusal("aws-prod");

        FailureAnalysis analysis = new SettingFailureAnalyzer().analyze(refused);

        assertThat(analysis.getDescription()).isEqualTo("The active profiles [aws-prod] include neither 'local' "
                + "(folders, records as files, the log as notifier) nor 'aws' (S3, DynamoDB, SNS), so nothing would "
                + "store uploads, records or notifications.");
        assertThat(analysis.getAction()).doesNotContain("Did you mean")
            .contains("SPRING_PROFILES_ACTIVE=local,aws-prod")
            .contains("SPRING_PROFILES_ACTIVE=aws,aws-prod");
    }

    @Test
    void aMisspeltAdapterProfileIsNamed() {
        assertThat(new SettingFailureAnalyzer().analyze(catchRefusal("lcoal")).getAction())
            .startsWith("Did you mean SPRING_PROFILES_ACTIVE=local?");
        assertThat(new SettingFailureAnalyzer().analyze(catchRefusal("AWS_")).getAction())
            .startsWith("Did you mean SPRING_PROFILES_ACTIVE=aws?");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theAppDoesNotStartAndSaysSoBeforeAnyAwsClientIsBuilt(CapturedOutput output) {
        // without 'local', the AWS clients would be built, and a missing region used to be reported instead
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);

        assertThatThrownBy(() -> application.run("--spring.profiles.active=lcoal", "--server.port=0",
                "--spring.cloud.aws.region.static="))
            .isInstanceOf(SettingException.class)
            .hasMessageStartingWith("The active profiles [lcoal] include neither 'local'");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("Did you mean SPRING_PROFILES_ACTIVE=local?")
            .doesNotContain("No AWS region is configured");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void bothAdapterProfilesAtOnceAreRefusedNamingTheProfiles(CapturedOutput output) {
        // each profile wires its own store, records and notifier: Spring used to report a clash of bean names and
        // suggest allowing bean definition overriding, which mixes the two (local store, S3 presigner) and fails later
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);

        assertThatThrownBy(() -> application.run("--spring.profiles.active=local,aws", "--server.port=0",
                "--spring.cloud.aws.region.static="))
            .hasMessageContaining("include both 'local' and 'aws'");

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("The active profiles [local, aws] include both 'local' and 'aws'")
            .contains("Keep one of them in SPRING_PROFILES_ACTIVE")
            .doesNotContain("allow-bean-definition-overriding");
    }

    private static SettingException catchRefusal(String... profiles) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(SettingException.class,
                () -> new AdapterProfileCheck().postProcessEnvironment(withProfiles(profiles), null));
    }
}
