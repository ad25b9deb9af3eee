package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsProperties;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
            this(new AwsProperties());
        }

        CountingConfigurer(AwsProperties properties) {
            super(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), () -> Region.EU_WEST_1,
                    properties);
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

    @Test
    void anSsmThatNeverAnswersFailsTheReadWithTheReasonWellWithinTheFunctionsTimeout() throws IOException {
        // accepts every connection and never answers: the SDK's defaults alone wait 4 x 30 s, past the 60 s the
        // function has, which would time the invocation out with no reason in the log
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                }
                catch (IOException closed) {
                    // the test is over
                }
            });
            AwsProperties properties = new AwsProperties();
            properties.setEndpoint(URI.create("http://127.0.0.1:" + silent.getLocalPort()));
            new ApplicationContextRunner().withUserConfiguration(Properties.class, AwsFailoverConfiguration.class)
                .withBean(AwsClientBuilderConfigurer.class, () -> new CountingConfigurer(properties))
                .withPropertyValues("spring.profiles.active=aws",
                        "image-processor.failover.active-region-parameter=/image-processor/active-region",
                        "image-processor.failover.peer-region=us-east-1")
                .run(context -> {
                    StandbyGate gate = context.getBean(StandbyGate.class);
                    assertTimeoutPreemptively(Duration.ofSeconds(30),
                            () -> assertThatExceptionOfType(ActiveRegionUnavailableException.class)
                                .isThrownBy(gate::standbyReason)
                                .withMessageStartingWith("Failed to read SSM parameter /image-processor/active-region"
                                        + " in eu-west-1"));
                    context.getBean(SsmClient.class).close();
                });
            acceptor.interrupt();
        }
    }
}
