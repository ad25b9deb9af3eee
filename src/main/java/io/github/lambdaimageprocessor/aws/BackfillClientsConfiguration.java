package io.github.lambdaimageprocessor.aws;

import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbClientCustomizer;
import io.awspring.cloud.autoconfigure.s3.S3ClientCustomizer;
import io.awspring.cloud.autoconfigure.sns.SnsClientCustomizer;
import io.github.lambdaimageprocessor.cli.BackfillCommand;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code backfill} command's S3, DynamoDB and SNS clients retry throttling the adaptive way: the SDK's
 * {@code AdaptiveRetryStrategy} (retry mode {@code adaptive_v2}) keeps a client-side rate limiter that every thread of
 * the run shares, so once S3 answers {@code SlowDown} or DynamoDB {@code ProvisionedThroughputExceeded} the whole run
 * sends more slowly, instead of each object spending its few attempts against the same wall and failing. It also
 * gets more attempts than the default 3: a run is a batch nobody waits on, so an object should outlast a storm of
 * about a minute rather than fail in seconds.
 *
 * <p>Only when the application was started as that command: the Lambda functions and the HTTP API keep the SDK's
 * standard retry, since the rate limiter waits before sending, inside a 60 s invocation or a request someone waits on,
 * and there Lambda, S3 Batch Operations or the client retries a failure anyway.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@ConditionalOnProperty(name = "image-processor.command", havingValue = BackfillCommand.NAME)
class BackfillClientsConfiguration {

    /**
     * Attempts per request. Throttled retries back off from 1 s, doubling up to 20 s (with jitter), so 10 attempts
     * wait up to about 110 s (55 s on average) before the object fails.
     */
    static final int MAX_ATTEMPTS = 10;

    @Bean
    SdkThrottling backfillThrottling() {
        return new SdkThrottling();
    }

    @Bean
    S3ClientCustomizer backfillS3Retry(SdkThrottling throttling) {
        return builder -> adaptive(builder, throttling);
    }

    @Bean
    DynamoDbClientCustomizer backfillDynamoDbRetry(SdkThrottling throttling) {
        return builder -> adaptive(builder, throttling);
    }

    @Bean
    SnsClientCustomizer backfillSnsRetry(SdkThrottling throttling) {
        return builder -> adaptive(builder, throttling);
    }

    private static void adaptive(SdkClientBuilder<?, ?> builder, SdkThrottling throttling) {
        // added to what Spring Cloud AWS set (its user agent), not in place of it
        ClientOverrideConfiguration configured = builder.overrideConfiguration();
        builder.overrideConfiguration((configured == null ? ClientOverrideConfiguration.builder()
                : configured.toBuilder())
            .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
            .addMetricPublisher(throttling)
            .build());
    }
}
