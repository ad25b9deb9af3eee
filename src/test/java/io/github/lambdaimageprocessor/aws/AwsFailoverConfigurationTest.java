package io.github.lambdaimageprocessor.aws;

import java.util.concurrent.atomic.AtomicInteger;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsProperties;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-region deployment pays nothing for the standby gate at start-up: no SSM client is built unless a switch
 * parameter is configured. (Building no client means calling no AWS API either.)
 */
class AwsFailoverConfigurationTest {

    @EnableConfigurationProperties(ImageProcessorProperties.class)
    static class Properties {
    }

    /** Counts the clients built, which is what start-up would spend on SSM. */
    static final class CountingConfigurer extends AwsClientBuilderConfigurer {

        final AtomicInteger built = new AtomicInteger();

        CountingConfigurer() {
            super(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), () -> Region.EU_WEST_1,
                    new AwsProperties());
        }

        @Override
        public <T extends AwsClientBuilder<T, ?>> T configure(T builder) {
            built.incrementAndGet();
            return super.configure(builder);
        }
    }

    private final CountingConfigurer configurer = new CountingConfigurer();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withUserConfiguration(Properties.class, AwsFailoverConfiguration.class)
        .withBean(AwsClientBuilderConfigurer.class, () -> configurer)
        .withPropertyValues("spring.profiles.active=aws");

    @Test
    void withoutASwitchParameterTheGateIsOpenAndNoSsmClientIsBuilt() {
        runner.withPropertyValues("image-processor.failover.active-region-parameter=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(StandbyGate.class).standbyReason()).isEmpty();
            assertThat(configurer.built).hasValue(0);
        });
    }

    @Test
    void withASwitchParameterTheGateRunsInTheClientsRegionOnThatParameter() {
        runner.withPropertyValues("image-processor.failover.active-region-parameter=/image-processor/active-region",
                "image-processor.failover.peer-region=us-east-1")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(configurer.built).hasValue(1);
                assertThat(context.getBean(StandbyGate.class))
                    .hasToString("standby gate of eu-west-1 on SSM parameter /image-processor/active-region");
                context.getBean(SsmClient.class).close();
            });
    }
}
