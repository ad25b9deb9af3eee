package io.github.lambdaimageprocessor.aws;

import java.time.Clock;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.CachedActiveRegion;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import software.amazon.awssdk.services.ssm.SsmClient;

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
     * Configured like the other clients ({@code spring.cloud.aws.*}: endpoint, region, credentials). Lazy: built on
     * first use only, and its presence keeps Spring Cloud AWS's parameter-store auto-configuration from building one
     * eagerly.
     */
    @Bean
    @Lazy
    SsmClient ssmClient(AwsClientBuilderConfigurer configurer) {
        return configurer.configure(SsmClient.builder()).build();
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
        return StandbyGate.on(thisRegion, failover.peerRegion(), new CachedActiveRegion(
                new SsmActiveRegion(client, failover.activeRegionParameter()), failover.refresh(), Clock.systemUTC()));
    }
}
