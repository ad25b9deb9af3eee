package io.github.lambdaimageprocessor.aws;

import java.util.List;
import java.util.function.Function;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.messaging.Message;

/**
 * The {@code redrive} command's beans, only when the application was started as that command (see
 * {@code ImageProcessorApplication}): neither Lambda nor the web app creates an SQS client.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@ConditionalOnProperty(name = "image-processor.command", havingValue = RedriveCommand.NAME)
class RedriveConfiguration {

    /** Endpoint, region and credentials from the same spring.cloud.aws.* settings as the other clients. */
    @Bean(destroyMethod = "close")
    SqsClient redriveSqsClient(AwsClientBuilderConfigurer configurer) {
        return configurer.configure(SqsClient.builder()).build();
    }

    /** Stops a run cleanly on Ctrl-C, before the client and executor it needs are closed. */
    @Bean
    RedriveShutdown redriveShutdown() {
        return new RedriveShutdown();
    }

    @Bean
    RedriveCommand redriveCommand(SqsClient redriveSqsClient,
            @Qualifier("processImage") Function<Message<byte[]>, List<ProcessedImage>> processImage,
            ImageProcessor processor, RedriveShutdown shutdown) {
        return new RedriveCommand((queueUrl, visibility) -> shutdown.track(new Redrive(new SqsFailureQueue(
                redriveSqsClient, queueUrl), processImage, processor::standbyReason, visibility, System.out)),
                processor::standbyReason);
    }
}
