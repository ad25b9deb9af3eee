package io.github.lambdaimageprocessor.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.InProcessLambda;
import io.github.lambdaimageprocessor.function.TestLambdaContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The exact path Lambda takes: the handler {@code FunctionInvoker::handleRequest} with the files in {@code events/}
 * as the payload (what {@code sam local invoke -e events/...} sends), the {@code aws} profile, and moto behind the
 * S3, DynamoDB and SNS clients. Configuration reaches the invoker the way Lambda's environment does: as properties
 * it reads while building the Spring context in its constructor (the Lambda init phase).
 */
@ExtendWith(OutputCaptureExtension.class)
class LambdaHandlerIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static FunctionInvoker invoker;

    private AwsFixture aws;

    /** What each event file expects: objects to upload first (key -> corpus file), then the statuses it returns. */
    private record Expectation(Map<String, String> uploads, List<String> statuses) {
    }

    private static final Map<String, Expectation> EXPECTATIONS = Map.of(
            "s3-put.json", new Expectation(Map.of("photos/my photo(1).jpg", TestImages.PHOTO), List.of("PROCESSED")),
            "s3-put-multi.json", new Expectation(
                    Map.of("photos/beach.jpg", TestImages.CAMERA_PHOTO, "photos/notes.jpg", "not-jpeg/plain-text.jpg",
                            "photos/tiny 16x16.jpg", TestImages.SMALL),
                    List.of("PROCESSED", "REJECTED", "PROCESSED", "SKIPPED")),
            "s3-put-unicode-key.json", new Expectation(
                    Map.of("café €.jpg", "progressive/progressive-1201x800-444.jpg"), List.of("PROCESSED")),
            "s3-put-missing-object.json", new Expectation(Map.of(), List.of("SKIPPED")));

    @BeforeAll
    static void startTheHandlerAsLambdaDoes() {
        // outside Lambda (no AWS_LAMBDA_FUNCTION_NAME) the start asks whether they exist (AwsResourceCheck)
        AwsFixture.createFresh(moto);
        invoker = InProcessLambda.start(handlerEnvironment());
    }

    /** What Lambda's environment gives {@code FunctionInvoker} for {@code processImage}, pointed at moto. */
    static Map<String, String> handlerEnvironment() {
        Map<String, String> environment = new HashMap<>(AwsFixture.applicationProperties(moto.endpoint()));
        environment.put("MAIN_CLASS", ImageProcessorApplication.class.getName());
        environment.put("spring.cloud.function.definition", "processImage");
        environment.put("spring.profiles.active", "aws");
        return environment;
    }

    @AfterAll
    static void forgetTheHandler() {
        invoker = null;
    }

    @BeforeEach
    void createResources() {
        aws = AwsFixture.create(moto);
    }

    static Stream<Arguments> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().map(Arguments::of).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventFiles")
    void handlesEveryEventFileAsLambdaWould(Path eventFile) throws Exception {
        Expectation expected = EXPECTATIONS.get(eventFile.getFileName().toString());
        assertThat(expected).as("expectations for %s (add them to this test)", eventFile).isNotNull();
        expected.uploads().forEach((key, corpusFile) -> aws.upload(key, TestImages.bytes(corpusFile), "image/jpeg"));

        JsonNode results = invoke(Files.readAllBytes(eventFile), "req-" + eventFile.getFileName());

        assertThat(results.findValuesAsString("status")).containsExactlyElementsOf(expected.statuses());
        for (JsonNode result : results) {
            String key = result.at("/source/key").asString();
            String status = result.get("status").asString();
            Map<String, AttributeValue> item = aws.item(AwsFixture.UPLOADS + "/" + key);
            if (status.equals("SKIPPED")) {
                assertThat(item).as("no record for skipped %s", key).isEmpty();
                continue;
            }
            assertThat(expected.uploads()).containsKey(key);
            assertThat(item.get("status").s()).isEqualTo(status);
            assertThat(item.get("requestId").s()).isEqualTo("req-" + eventFile.getFileName());
            assertThat(item.get("sequencer").s()).isEqualTo(result.at("/event/version/sequencer").asString()).isNotBlank();
            if (status.equals("PROCESSED")) {
                HeadObjectResponse thumbnail = aws.s3
                    .headObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/" + key));
                assertThat(thumbnail.contentType()).isEqualTo("image/jpeg");
                assertThat(item.get("outputKey").s()).isEqualTo("thumbnails/" + key);
            }
        }
        long notified = expected.statuses().stream().filter(status -> !status.equals("SKIPPED")).count();
        List<AwsFixture.Notification> notifications = aws.notifications((int) notified);
        assertThat(notifications).hasSize((int) notified);
        assertThat(notifications).allSatisfy(n -> {
            assertThat(n.subject()).hasSizeLessThan(100).matches("[\\x20-\\x7E]+");
            assertThat(n.attributes()).containsKey("status");
        });
    }

    @Test
    void decodesTheUnicodeKeyOnceAndWritesTheThumbnailUnderIt() throws Exception {
        // the object the event's eTag names
        aws.upload("café €.jpg", TestImages.bytes("progressive/progressive-1201x800-444.jpg"), "image/jpeg");

        JsonNode results = invoke(Files.readAllBytes(Path.of("events/s3-put-unicode-key.json")), "req-unicode");

        assertThat(results.get(0).at("/output/key").asString()).isEqualTo("thumbnails/café €.jpg");
        byte[] thumbnail = aws.s3
            .getObjectAsBytes(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/café €.jpg"))
            .asByteArray();
        assertThat(TestImages.decode(thumbnail).getWidth()).isEqualTo(256);
        assertThat(aws.notifications(1).getFirst().subject()).isEqualTo("Thumbnail ready: cafe ?.jpg");
    }

    @Test
    void logsJsonLinesCarryingTheRequestIdAndTheObjectKey(CapturedOutput output) throws Exception {
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        int before = output.getOut().length();

        invoke(Files.readAllBytes(Path.of("events/s3-put.json")), "req-logged");

        List<JsonNode> lines = output.getOut()
            .substring(before)
            .lines()
            .filter(line -> !line.isBlank())
            .map(JSON::readTree)
            .toList();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("requestId").asString()).isEqualTo("req-logged");
            assertThat(line.path("objectKey").asString()).isEqualTo("photos/my photo(1).jpg");
            assertThat(line.path("message").asString()).startsWith("PROCESSED s3://uploads/photos/my photo(1).jpg");
        });
    }

    @Test
    void aHandMadeEventWithoutAnEventTimeFailsSayingWhatItLacks() throws Exception {
        // given an event written by hand, as for a replay, with the bucket and key but no eventTime (S3 always sends
        // one; the AWS event parser, lacking it, used to fail looking for an AWS SDK v1 class)
        aws.upload("photos/by-hand.jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        byte[] event = """
                {"Records":[{"eventName":"ObjectCreated:Put",
                  "s3":{"bucket":{"name":"uploads"},"object":{"key":"photos/by-hand.jpg"}}}]}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // then the invocation fails naming what the event lacks, and nothing is recorded
        assertThatThrownBy(() -> invoke(event, "req-hand-made"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("The event is not an S3 event: every record needs an ISO-8601 \"eventTime\" "
                    + "(see events/s3-put.json).");
        assertThat(aws.item(AwsFixture.UPLOADS + "/photos/by-hand.jpg")).isEmpty();
    }

    @Test
    void aHandMadeEventWithAKeyLongerThanS3TakesIsRejectedNotRetried() throws Exception {
        // given a record whose key is longer than any S3 object's: its record's id would be more than the 2048 bytes
        // DynamoDB takes in a key, whose refusal failed the invocation as an outage (retried, then parked)
        String key = "x".repeat(3000) + ".jpg";
        byte[] event = Files.readString(Path.of("events/s3-put.json"))
            .replace("photos/my+photo%281%29.jpg", key)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        JsonNode results = invoke(event, "req-long-key");

        assertThat(results.findValuesAsString("status")).containsExactly("REJECTED");
        assertThat(results.get(0).get("reason").asString()).endsWith("(3004 bytes) is longer than S3's limit of 1024 "
                + "bytes, so it names no object");
        assertThat(aws.notifications(0)).isEmpty();
    }

    @Test
    void anInfrastructureFailureFailsTheInvocationSoLambdaRetriesIt() throws Exception {
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        aws.dynamoDb.deleteTable(request -> request.tableName(AwsFixture.TABLE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> invoker.handleRequest(
                    new ByteArrayInputStream(Files.readAllBytes(Path.of("events/s3-put.json"))), out,
                    new TestLambdaContext("req-failing")))
            .withMessageContaining("1 of 1 records failed")
            .withMessageContaining("ResourceNotFoundException");
        assertThat(out.toByteArray()).as("no result claims success").isEmpty();
        assertThat(aws.notifications(0)).as("nothing announced for an unrecorded image").isEmpty();
    }

    @Test
    void aFailedRecordLeavesTheErrorLineOperationsMdTellsHowToFind(CapturedOutput output) throws Exception {
        // given the query docs/operations.md gives for the function's log group
        String page = Files.readString(Path.of("docs/operations.md"));
        String query = page.substring(page.indexOf("### Why `processImage` failed"));
        query = query.substring(query.indexOf("```\n") + 4, query.indexOf("\n```", query.indexOf("```\n") + 4));
        assertThat(query).contains("| filter log.level = \"ERROR\"");
        List<String> fields = List.of(query.lines().findFirst().orElseThrow().replaceFirst("^fields ", "").split(", "));
        // and a notification SNS refuses (the topic deleted)
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        aws.sns.deleteTopic(request -> request.topicArn(aws.topicArn));
        int before = output.getOut().length();

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> invoke(Files.readAllBytes(Path.of("events/s3-put.json")), "req-refused"));

        // then one line matches the query, and each field it shows says something (Logs Insights flattens the JSON)
        List<JsonNode> errors = output.getOut()
            .substring(before)
            .lines()
            .filter(line -> line.startsWith("{"))
            .map(JSON::readTree)
            .filter(line -> line.at("/log/level").asString("").equals("ERROR"))
            .toList();
        assertThat(errors).singleElement().satisfies(line -> {
            for (String field : fields.subList(1, fields.size())) {
                assertThat(line.at("/" + field.replace('.', '/')).asString("")).as(field).isNotBlank();
            }
            assertThat(line.get("requestId").asString()).isEqualTo("req-refused");
            assertThat(line.get("objectKey").asString()).isEqualTo("photos/my photo(1).jpg");
            assertThat(line.at("/error/message").asString())
                .startsWith("Failed to publish the PROCESSED notification for s3://uploads/photos/my photo(1).jpg")
                .contains("(NotFound)");
            // a failure of a known kind: its message says it all, and no stack trace buries it
            assertThat(line.get("message").asString()).startsWith("Failed to process s3://uploads/photos/my "
                    + "photo(1).jpg: SNS Publish failed, not found, error code NotFound, request id ");
            assertThat(line.at("/error/stack_trace").isMissingNode()).as("stack trace").isTrue();
        });
    }

    /**
     * docs/operations.md's reproduction: the notification refused (the topic deleted), the topic made again, the event
     * invoked again well inside the 90 s lease, as Lambda's first retry is. The failed attempt gave its claim back, so
     * the retry finishes the work rather than wait for a claimer that is gone and fail with
     * DeliveryInProgressException.
     */
    @Test
    void aRetryRightAfterARefusedNotificationFinishesTheWork() throws Exception {
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        byte[] event = Files.readAllBytes(Path.of("events/s3-put.json"));
        aws.sns.deleteTopic(request -> request.topicArn(aws.topicArn));
        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> invoke(event, "req-refused"))
            .withMessageContaining("(NotFound)");
        // the topic made again (moto gives it the same ARN), the test's queue subscribed to it again
        String topicArn = aws.sns.createTopic(request -> request.name(AwsFixture.TOPIC)).topicArn();
        String queueArn = aws.sqs.getQueueAttributes(request -> request.queueUrl(aws.queueUrl)
            .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        aws.sns.subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(queueArn));

        JsonNode retried = invoke(event, "req-retry");

        assertThat(retried.findValuesAsString("status")).containsExactly("PROCESSED");
        assertThat(aws.item(AwsFixture.UPLOADS + "/photos/my photo(1).jpg")).containsKey("notifiedAt");
        assertThat(aws.notifications(1)).hasSize(1);
        assertThat(aws.allNotifications()).isEmpty();
    }

    /**
     * The core logs through {@link System.Logger} (it knows no logging library): a claim it could not give back is a
     * WARN line that must land in the function's JSON log like the others, with the record's request id and key, not
     * as plain text on stderr.
     */
    @Test
    void theCoresWarningsReachTheJsonLogWithTheRecordsFields(CapturedOutput output) {
        int before = output.getOut().length();

        try (org.slf4j.MDC.MDCCloseable ignored = org.slf4j.MDC.putCloseable("requestId", "req-warned")) {
            System.getLogger(io.github.lambdaimageprocessor.processing.ImageProcessor.class.getName())
                .log(System.Logger.Level.WARNING, "Could not give back the claim on the record of s3://uploads/a.jpg");
        }

        assertThat(output.getOut().substring(before).lines().filter(line -> line.startsWith("{")).map(JSON::readTree))
            .anySatisfy(line -> {
                assertThat(line.at("/log/level").asString("")).isEqualTo("WARN");
                assertThat(line.get("requestId").asString()).isEqualTo("req-warned");
                assertThat(line.get("message").asString()).startsWith("Could not give back the claim");
            });
    }

    private JsonNode invoke(byte[] event, String requestId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event), out, new TestLambdaContext(requestId));
        return JSON.readTree(out.toByteArray());
    }
}
