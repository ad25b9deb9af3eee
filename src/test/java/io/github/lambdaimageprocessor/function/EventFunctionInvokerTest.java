package io.github.lambdaimageprocessor.function;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code processImage} and {@code backfillImages} through {@code FunctionInvoker}, the handler Lambda calls, on input
 * someone shaped by hand ({@code aws lambda invoke --payload}): Spring Cloud Function's adapter, given an event
 * type, reads a JSON array (or a {@code payload} header) as a batch and calls the function per element, so an empty
 * array answered "OK" having done nothing. Every such input must fail the invocation saying why, and a real event
 * beside a forged header must still be processed. Profile local.
 */
class EventFunctionInvokerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String EVENT = """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
            "eventTime":"2026-12-05T00:00:00.000Z","eventName":"ObjectCreated:Put",
            "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"uploads"},"object":{"key":"absent.jpg","size":10}}}]}""";

    private static final String BATCH_REQUEST = """
            {"invocationSchemaVersion":"1.0","invocationId":"inv-1","job":{"id":"job-1"},
             "tasks":[{"taskId":"task-1","s3Key":"absent.jpg","s3BucketArn":"arn:aws:s3:::uploads"}]}""";

    @TempDir
    static Path root;

    private static FunctionInvoker processImage;

    private static FunctionInvoker backfillImages;

    @BeforeAll
    static void startTheHandlersAsLambdaDoes() {
        processImage = invoker("processImage");
        backfillImages = invoker("backfillImages");
    }

    private static FunctionInvoker invoker(String definition) {
        Map<String, String> properties = Map.of("MAIN_CLASS", ImageProcessorApplication.class.getName(),
                "spring.cloud.function.definition", definition, "spring.profiles.active", "local",
                "image-processor.local.root", root.toString());
        return InProcessLambda.start(properties);
    }

    private static JsonNode invoke(FunctionInvoker invoker, String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out,
                new TestLambdaContext("req-hand"));
        return JSON.readTree(out.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "[" + EVENT + "]", "[1]", "{\"payload\":[]}",
            "{\"Records\":[],\"headers\":{\"payload\":\"[]\"}}", "null" })
    void processImageRefusesWhatIsNotOneS3Event(String payload) {
        assertThatIllegalArgumentException().isThrownBy(() -> invoke(processImage, payload))
            .withMessageStartingWith("The event ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "[" + BATCH_REQUEST + "]", "[1]", "{\"payload\":[]}",
            "{\"tasks\":[],\"headers\":{\"payload\":\"[]\"}}", "1", "\"x\"" })
    void backfillImagesRefusesWhatIsNotOneBatchRequest(String payload) {
        assertThatIllegalArgumentException().isThrownBy(() -> invoke(backfillImages, payload))
            .withMessageMatching("(Not an S3 Batch Operations request|The event has a top-level \"payload\").*");
    }

    @Test
    void anArrayOfEventsSaysToSendThemOneByOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> invoke(processImage, "[" + EVENT + "," + EVENT + "]"))
            .withMessageContaining("is a JSON array")
            .withMessageContaining("send each event in an invocation of its own");
    }

    @Test
    void aRealEventIsProcessedWhateverHeadersItNames() throws IOException {
        JsonNode results = invoke(processImage, EVENT.replace("{\"Records\"",
                "{\"headers\":{\"payload\":\"[]\"},\"Records\""));

        assertThat(results.isArray()).as(results.toString()).isTrue();
        assertThat(results).hasSize(1);
        assertThat(results.at("/0/source/key").asString()).isEqualTo("absent.jpg");
    }

    @Test
    void aRealBatchRequestGetsAResultPerTask() throws IOException {
        JsonNode response = invoke(backfillImages, BATCH_REQUEST);

        assertThat(response.at("/invocationId").asString()).as(response.toString()).isEqualTo("inv-1");
        assertThat(response.at("/results/0/taskId").asString()).isEqualTo("task-1");
    }
}
