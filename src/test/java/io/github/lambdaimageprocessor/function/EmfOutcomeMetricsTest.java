package io.github.lambdaimageprocessor.function;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static io.github.lambdaimageprocessor.function.S3Events.event;
import static io.github.lambdaimageprocessor.function.S3Events.parse;
import static io.github.lambdaimageprocessor.function.S3Events.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The function's metrics as the EMF lines it writes, parsed back. */
class EmfOutcomeMetricsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final List<String> lines = new ArrayList<>();

    private final EmfOutcomeMetrics metrics = new EmfOutcomeMetrics("LambdaImageProcessor", "my-stack",
            lines::add, Clock.fixed(NOW, ZoneOffset.UTC));

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private S3EventFunction function(ImageStore imageStore) {
        return new S3EventFunction(new ImageProcessor(imageStore, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new InMemoryMetadataRepository(), new RecordingNotifier(),
                new OutputLocation("processed", "thumbnails/"), 50_000_000, Clock.systemUTC()), "uploads",
                pool, Clock.systemUTC(), metrics);
    }

    private static Message<S3Event> fromLambda(String requestId, String json) {
        return MessageBuilder.withPayload(parse(json).getPayload())
            .setHeader(AWSLambdaUtils.AWS_CONTEXT, new TestLambdaContext(requestId))
            .build();
    }

    private List<JsonNode> documents() {
        return lines.stream().map(JSON::readTree).toList();
    }

    @Test
    void oneInvocationWritesAColdStartAndOneDocumentPerOutcomeWithKeysAndRequestIdAsProperties() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "b.jpg"), TestImages.bytes(TestImages.PHOTO), "image/jpeg", Map.of());
        store.write(new ObjectRef("uploads", "bad.jpg"), TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg",
                Map.of());

        function(store).apply(fromLambda("req-1", event(record("ObjectCreated:Put", "uploads", "a.jpg"),
                record("ObjectCreated:Put", "uploads", "b.jpg"), record("ObjectCreated:Put", "uploads", "bad.jpg"),
                record("ObjectCreated:Put", "uploads", "gone.jpg"))));

        List<JsonNode> documents = documents();
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(documents).allSatisfy(document -> {
            JsonNode directive = document.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(document.get("_aws").get("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
            assertThat(directive.get("Namespace").asString()).isEqualTo("LambdaImageProcessor");
            assertThat(document.get("Service").asString()).isEqualTo("my-stack");
            assertThat(document.get("requestId").asString()).isEqualTo("req-1");
            // every declared metric is a member of the document, every dimension too
            directive.get("Metrics").forEach(metric -> assertThat(document.has(metric.get("Name").asString())).isTrue());
            directive.get("Dimensions").get(0).forEach(name -> assertThat(document.has(name.asString())).isTrue());
        });
        assertThat(documents).filteredOn(d -> d.has("ColdStart")).singleElement().satisfies(cold -> {
            assertThat(cold.get("ColdStart").asInt()).isEqualTo(1);
            assertThat(dimensions(cold)).containsExactly("Service");
            assertThat(units(cold)).containsExactly(Map.entry("ColdStart", "Count"));
        });
        JsonNode processed = outcome(documents, "PROCESSED");
        assertThat(dimensions(processed)).containsExactly("Service", "Outcome");
        assertThat(units(processed)).containsOnly(Map.entry("Images", "Count"),
                Map.entry("ProcessingTime", "Milliseconds"), Map.entry("InputBytes", "Bytes"),
                Map.entry("OutputBytes", "Bytes"));
        assertThat(processed.get("Images").asInt()).isEqualTo(2);
        assertThat(processed.get("ProcessingTime")).hasSize(2);
        assertThat(values(processed, "InputBytes")).containsExactlyInAnyOrder(
                (long) TestImages.bytes(TestImages.SMALL).length, (long) TestImages.bytes(TestImages.PHOTO).length);
        assertThat(values(processed, "OutputBytes")).hasSize(2).allSatisfy(bytes -> assertThat(bytes).isPositive());
        assertThat(strings(processed.get("objectKeys"))).containsExactlyInAnyOrder("a.jpg", "b.jpg");
        JsonNode rejected = outcome(documents, "REJECTED");
        assertThat(rejected.get("Images").asInt()).isEqualTo(1);
        assertThat(units(rejected)).doesNotContainKey("OutputBytes");
        assertThat(strings(rejected.get("objectKeys"))).containsExactly("bad.jpg");
        JsonNode skipped = outcome(documents, "SKIPPED");
        assertThat(strings(skipped.get("objectKeys"))).containsExactly("gone.jpg");
        // dimensions never carry keys or request ids
        assertThat(documents).allSatisfy(d -> assertThat(dimensions(d)).isSubsetOf("Service", "Outcome"));
    }

    @Test
    void anInfrastructureFailureIsCountedAsFailedAndPublishedEvenThoughTheInvocationThrows() {
        ImageStore unreachable = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new IllegalStateException("Failed to read " + ref + ": connection refused");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                return null;
            }
        };

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> function(unreachable)
            .apply(fromLambda("req-2", event(record("ObjectCreated:Put", "uploads", "a.jpg")))));

        JsonNode failed = outcome(documents(), "FAILED");
        assertThat(failed.get("Images").asInt()).isEqualTo(1);
        assertThat(failed.get("ProcessingTime")).hasSize(1);
        assertThat(strings(failed.get("objectKeys"))).containsExactly("a.jpg");
    }

    @Test
    void onlyTheFirstInvocationAfterStartOrAfterASnapStartRestoreIsACold() {
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3EventFunction function = function(store);
        String event = event(record("ObjectCreated:Put", "uploads", "a.jpg"));

        function.apply(fromLambda("first", event));
        function.apply(fromLambda("second", event));
        metrics.afterRestore(null);
        function.apply(fromLambda("after-restore", event));

        assertThat(documents()).filteredOn(d -> d.has("ColdStart"))
            .extracting(d -> d.get("requestId").asString())
            .containsExactly("first", "after-restore");
    }

    @Test
    void snapStartPrimingIsNotCountedAndLeavesTheColdStartToTheFirstRealInvocation() {
        Message<S3Event> priming = MessageBuilder.withPayload(parse(event(record("ObjectCreated:Put", "processed",
                "thumbnails/snapstart-priming.jpg"))).getPayload()).setHeader(S3EventFunction.UNCOUNTED, true).build();
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3EventFunction function = function(store);

        function.apply(priming);
        assertThat(lines).isEmpty();
        function.apply(fromLambda("real", event(record("ObjectCreated:Put", "uploads", "a.jpg"))));

        assertThat(documents()).filteredOn(d -> d.has("ColdStart")).singleElement()
            .satisfies(d -> assertThat(d.get("requestId").asString()).isEqualTo("real"));
    }

    @Test
    void aBrokenOutputDoesNotFailTheInvocation() {
        EmfOutcomeMetrics broken = new EmfOutcomeMetrics("N", "s", line -> {
            throw new IllegalStateException("stdout closed");
        }, Clock.systemUTC());
        store.write(new ObjectRef("uploads", "a.jpg"), TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        S3EventFunction function = new S3EventFunction(new ImageProcessor(store,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), new InMemoryMetadataRepository(),
                new RecordingNotifier(), new OutputLocation("processed", "thumbnails/"), 50_000_000,
                Clock.systemUTC()), "uploads", pool, Clock.systemUTC(), broken);

        assertThat(function.apply(fromLambda("r", event(record("ObjectCreated:Put", "uploads", "a.jpg")))))
            .hasSize(1);
    }

    @Test
    void moreThanAHundredImagesOfOneOutcomeAreSplitAcrossDocuments() {
        try (var batch = metrics.start("big")) {
            for (int i = 0; i < 150; i++) {
                batch.failure(new ObjectRef("uploads", "k" + i), java.time.Duration.ofMillis(i));
            }
        }

        List<JsonNode> failed = documents().stream().filter(d -> d.has("Outcome")).toList();
        assertThat(failed).extracting(d -> d.get("ProcessingTime").size()).containsExactly(100, 50);
        assertThat(failed).extracting(d -> d.get("Images").asInt()).containsExactly(100, 50);
    }

    private static JsonNode outcome(List<JsonNode> documents, String outcome) {
        return documents.stream()
            .filter(d -> d.has("Outcome") && d.get("Outcome").asString().equals(outcome))
            .reduce((a, b) -> {
                throw new AssertionError("two documents for " + outcome);
            })
            .orElseThrow(() -> new AssertionError("no document for " + outcome + " in " + documents));
    }

    private static List<String> dimensions(JsonNode document) {
        return strings(document.get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions").get(0));
    }

    private static Map<String, String> units(JsonNode document) {
        Map<String, String> units = new java.util.LinkedHashMap<>();
        document.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")
            .forEach(metric -> units.put(metric.get("Name").asString(), metric.get("Unit").asString()));
        return units;
    }

    private static List<Long> values(JsonNode document, String name) {
        List<Long> values = new ArrayList<>();
        document.get(name).forEach(value -> values.add(value.asLong()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
