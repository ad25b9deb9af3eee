package io.github.lambdaimageprocessor.aws;

import java.time.Clock;
import java.time.Duration;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.processing.CachedActiveRegion;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code aws}: the standby gate of a two-region deployment, on the SSM parameter named by
 * {@code image-processor.failover.active-region-parameter}. Without that property the gate is open and no SSM client
 * is ever built, so a single-region deployment pays nothing for it at start-up.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
class AwsFailoverConfiguration {

    /**
     * One {@code GetParameter} answers in milliseconds. The SDK's defaults (30 s read timeout, 4 attempts) would let an
     * SSM endpoint that accepts connections and never answers hold every record of an invocation for two minutes:
     * past the functions' 60 s timeout, so the invocation would time out without the reason in the log.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    /** All attempts of one read together: the event then fails (to be retried) with the reason, well within 60 s. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Configured like the other clients ({@code spring.cloud.aws.*}: endpoint, region, credentials). Lazy: built on
     * first use only, and its presence keeps Spring Cloud AWS's parameter-store auto-configuration from building one
     * eagerly.
     */
    @Bean
    @Lazy
    SsmClient ssmClient(AwsClientBuilderConfigurer configurer) {
        SsmClientBuilder builder = configurer.configure(SsmClient.builder());
        // added to what the configurer set (its user agent), not in place of it
        ClientOverrideConfiguration configured = builder.overrideConfiguration();
        return builder.overrideConfiguration((configured == null ? ClientOverrideConfiguration.builder()
                : configured.toBuilder()).apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT).build())
            .build();
    }

    @Bean
    StandbyGate standbyGate(ImageProcessorProperties properties, ObjectProvider<SsmClient> ssm) {
        ImageProcessorProperties.Failover failover = properties.failover();
        if (!failover.gated()) {
            return StandbyGate.open();
        }
        SsmClient client = ssm.getObject();
        // the region the clients talk to is the region this function runs in (AWS_REGION on Lambda)
        String thisRegion = client.serviceClientConfiguration().region().id();
        if (thisRegion.equals(failover.peerRegion())) {
            throw new SettingException("PEER_REGION (image-processor.failover.peer-region) is " + thisRegion
                    + ", the region this instance runs in: the pair's other region must differ",
                    "Set PEER_REGION to the other region of the pair, or check the region this instance runs in "
                            + "(AWS_REGION, spring.cloud.aws.region.static).");
        }
        return StandbyGate.on(thisRegion, failover.peerRegion(), new CachedActiveRegion(
                new SsmActiveRegion(client, failover.activeRegionParameter()), failover.refresh(), Clock.systemUTC()));
    }
}
