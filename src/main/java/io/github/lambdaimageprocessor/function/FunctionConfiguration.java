package io.github.lambdaimageprocessor.function;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.UploadProperties;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.OutcomeMetrics;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Resizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Declares the {@code processImage} and {@code backfillImages} functions, whatever the profile: Lambda invokes the one
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION} names through {@code FunctionInvoker}, the web app serves each at
 * {@code POST /<name>}.
 */
@Configuration(proxyBeanMethods = false)
class FunctionConfiguration {

    /**
     * An S3 event in, as its JSON: the function reads it itself (S3EventFunction.fromEventJson says why), refusing
     * what is not one S3 event with an IllegalArgumentException that says what it lacks.
     */
    @Bean
    Function<Message<byte[]>, List<ProcessedImage>> processImage(ImageProcessor processor,
            @Qualifier("recordExecutor") ExecutorService recordExecutor, OutcomeMetrics outcomeMetrics,
            ImageProcessorProperties properties, JsonMapper json) {
        return new S3EventFunction(processor, properties.uploadBucket(), recordExecutor, Clock.systemUTC(),
                outcomeMetrics, properties.inProgressWait()).fromEventJson(json);
    }

    /** EMF lines on standard output when {@code image-processor.metrics.enabled} (profile aws), else nothing. */
    @Bean
    OutcomeMetrics outcomeMetrics(ImageProcessorProperties properties) {
        ImageProcessorProperties.Metrics metrics = properties.metrics();
        return metrics.enabled() ? EmfOutcomeMetrics.toStandardOutput(metrics.namespace(), metrics.service())
                : OutcomeMetrics.NONE;
    }

    /**
     * The browser-upload API behind API Gateway's HTTP API (template.yaml: HttpApiFunction). It takes the event's JSON
     * and parses it itself: given the event type as its input, Spring Cloud Function's Lambda adapter reads an event
     * whose body (or a request header named {@code payload}) is a JSON array as a batch of inputs, and calls the
     * function once per element with the element as the whole event, so any caller of the public {@code GET /} could
     * hand it an event of its own making, path, method and JWT claims included. A byte array input it leaves whole.
     */
    @Bean
    Function<Message<byte[]>, APIGatewayV2HTTPResponse> httpApi(ImageApi api, JsonMapper json,
            UploadProperties uploads) {
        return new HttpApiFunction(api, json, uploads.allowAnonymous(), uploads.origins()).fromEventJson();
    }

    /** For S3 Batch Operations ("Invoke AWS Lambda function"): the objects already in the bucket. */
    @Bean
    Function<Message<byte[]>, S3BatchResponse> backfillImages(ImageProcessor processor,
            ImageProcessorProperties properties, JsonMapper json) {
        return new S3BatchFunction(processor, properties.uploadBucket()).fromRequestJson(json);
    }

    @Bean
    SnapStartPriming snapStartPriming(Resizer resizer, FunctionCatalog functions, ImageProcessor processor,
            MetadataRepository metadata) {
        return new SnapStartPriming(resizer, functions, processor, metadata);
    }
}
