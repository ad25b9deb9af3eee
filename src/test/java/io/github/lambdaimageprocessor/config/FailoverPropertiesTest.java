package io.github.lambdaimageprocessor.config;

import java.nio.file.Path;
import java.time.Duration;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** {@code image-processor.failover.*}: off unless asked for, and never silently off when asked for. */
class FailoverPropertiesTest {

    @EnableConfigurationProperties(ImageProcessorProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void noGateByDefaultAndAReadValueIsTrustedForThirtySeconds() {
        runner.run(context -> {
            ImageProcessorProperties.Failover failover = context.getBean(ImageProcessorProperties.class).failover();
            assertThat(failover.gated()).isFalse();
            assertThat(failover.refresh()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void anEmptyParameterNameAsTheTemplateSetsItInOneRegionMeansNoGate() {
        runner.withPropertyValues("image-processor.failover.active-region-parameter=",
                "image-processor.failover.peer-region=")
            .run(context -> assertThat(context.getBean(ImageProcessorProperties.class).failover().gated()).isFalse());
    }

    @Test
    void aParameterNameTurnsTheGateOn() {
        runner.withPropertyValues("image-processor.failover.active-region-parameter=/image-processor/active-region",
                "image-processor.failover.refresh=5s")
            .run(context -> {
                ImageProcessorProperties.Failover failover = context.getBean(ImageProcessorProperties.class)
                    .failover();
                assertThat(failover.gated()).isTrue();
                assertThat(failover.activeRegionParameter()).isEqualTo("/image-processor/active-region");
                assertThat(failover.refresh()).isEqualTo(Duration.ofSeconds(5));
            });
    }

    @Test
    void aPeerRegionWithoutASwitchIsRefusedRatherThanProcessingWhateverTheSwitchSays() {
        // a backfill or redrive run by hand in the standby region, given PEER_REGION but not ACTIVE_REGION_PARAMETER,
        // would otherwise have no gate and process the uploads the active region processes
        runner.withPropertyValues("image-processor.failover.peer-region=us-east-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("image-processor.failover.peer-region (us-east-1) needs "
                        + "image-processor.failover.active-region-parameter (ACTIVE_REGION_PARAMETER)");
        });
    }

    @Test
    void aGateAskedForOutsideProfileAwsStopsStartUpInsteadOfProcessingEverything(@TempDir Path data) {
        assertThatException()
            .isThrownBy(() -> new SpringApplicationBuilder(ImageProcessorApplication.class)
                .web(WebApplicationType.NONE)
                .run("--image-processor.failover.active-region-parameter=/image-processor/active-region",
                        "--image-processor.local.root=" + data)
                .close())
            .havingRootCause()
            .isInstanceOf(SettingException.class)
            .satisfies(refused -> assertThat(new SettingFailureAnalyzer().analyze(refused).getDescription())
                .isEqualTo("image-processor.failover.active-region-parameter is set "
                        + "('/image-processor/active-region'), but only profile aws can read it (SSM): without it "
                        + "this instance would process every upload, the other region's too."));
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void thatRefusalIsStartUpsSummaryWithTheWaysOutNotAStackTrace(@TempDir Path data,
            org.springframework.boot.test.system.CapturedOutput output) {
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(ImageProcessorApplication.class)
            .web(WebApplicationType.NONE)
            .run("--image-processor.failover.active-region-parameter=/image-processor/active-region",
                    "--image-processor.local.root=" + data)
            .close());

        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
            .contains("Run with SPRING_PROFILES_ACTIVE=aws to read the switch, or leave ACTIVE_REGION_PARAMETER");
    }
}
