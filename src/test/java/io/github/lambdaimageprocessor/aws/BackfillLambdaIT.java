package io.github.lambdaimageprocessor.aws;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.deploy.LambdaRuntimeApi.Result;
import io.github.lambdaimageprocessor.deploy.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.StorageClass;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code BackfillFunction} of {@code template.yaml} from the packaged layout, through the real Lambda Runtime Interface
 * Client, invoked with S3 Batch Operations requests of both schemas (keys URL-encoded as S3 sends them), against moto:
 * every result code, and the effects in S3, DynamoDB and SNS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillLambdaIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private PackagedFunction function;

    @BeforeAll
    void startTheBackfillFunction() throws Exception {
        // one function process for the class, so moto keeps its state for the class: wiped once, here
        aws = AwsFixture.createFresh(moto);
        function = PackagedFunction.start(SamTemplate.BACKFILL_FUNCTION, moto, aws,
                Path.of("target", "backfill-lambda-it.log"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (function != null) {
            function.close();
        }
    }

    private JsonNode invoke(String request) {
        Result result = function.invoke(request, TIMEOUT);
        assertThat(result.success()).as(result + "\n" + function.logTail()).isTrue();
        return JSON.readTree(result.body());
    }

    private static String task(String schema, String id, String encodedKey, String bucket) {
        return schema.equals("1.0")
                ? "{\"taskId\":\"%s\",\"s3Key\":\"%s\",\"s3VersionId\":null,\"s3BucketArn\":\"arn:aws:s3:::%s\"}"
                    .formatted(id, encodedKey, bucket)
                : "{\"taskId\":\"%s\",\"s3Bucket\":\"%s\",\"s3Key\":\"%s\",\"s3VersionId\":null}".formatted(id, bucket,
                        encodedKey);
    }

    private static final java.util.concurrent.atomic.AtomicInteger JOBS = new java.util.concurrent.atomic.AtomicInteger();

    /** A request of a job of its own: a job's task run again takes the record its job made for its own work. */
    private static String request(String schema, String userArguments, String... tasks) {
        return """
                {"invocationSchemaVersion":"%s","invocationId":"inv-%s","job":{"id":"job-%d"%s},"tasks":[%s]}"""
            .formatted(schema, schema, JOBS.incrementAndGet(),
                    userArguments == null ? "" : ",\"userArguments\":" + userArguments, String.join(",", tasks));
    }

    @Test
    void theSampleRequestsOfBothSchemasMakeAThumbnailOnceAndARecordWithTheSettings() throws Exception {
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");

        JsonNode v1 = invoke(Files.readString(Path.of("events/batch/s3-batch-1.0.json"), StandardCharsets.UTF_8));
        JsonNode v2 = invoke(Files.readString(Path.of("events/batch/s3-batch-2.0.json"), StandardCharsets.UTF_8));

        assertThat(v1.get("invocationSchemaVersion").asString()).isEqualTo("1.0");
        assertThat(v1.get("invocationId").asString()).isEqualTo("YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo");
        assertThat(v1.get("treatMissingKeysAs").asString()).isEqualTo("PermanentFailure");
        assertThat(v1.at("/results/0/taskId").asString()).isEqualTo("dGFza2lkZ29lc2hlcmUK");
        assertThat(v1.at("/results/0/resultCode").asString()).isEqualTo("Succeeded");
        assertThat(v1.at("/results/0/resultString").asString())
            .isEqualTo("processed: 256x192 thumbnail s3://processed/thumbnails/photos/my photo(1).jpg");
        assertThat(v2.get("invocationSchemaVersion").asString()).isEqualTo("2.0");
        assertThat(v2.at("/results/0/resultCode").asString()).isEqualTo("Succeeded");
        assertThat(v2.at("/results/0/resultString").asString()).startsWith("already done: up to date");

        assertThat(aws.s3.headObject(request -> request.bucket(AwsFixture.PROCESSED)
            .key("thumbnails/photos/my photo(1).jpg")).contentType()).isEqualTo("image/jpeg");
        Map<String, AttributeValue> item = aws.item("uploads/photos/my photo(1).jpg");
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("thumbnailWidth").n()).isEqualTo("256");
        assertThat(item.get("thumbnailQuality").n()).isEqualTo("0.85");
        assertThat(item.get("pipelineVersion").n())
            .isEqualTo(String.valueOf(io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer.PIPELINE_VERSION));
        assertThat(item.get("eTag").s()).isNotBlank();
        // no notification unless the job asks for them
        assertThat(aws.allNotifications()).isEmpty();
    }

    @Test
    void eachOutcomeGetsItsResultCode() {
        aws.upload("batch/café €/a+b.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        aws.upload("batch/notes.jpg", "meeting notes".getBytes(StandardCharsets.UTF_8), "text/plain");
        aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key("batch/cold.jpg")
            .storageClass(StorageClass.GLACIER), RequestBody.fromBytes(TestImages.bytes(TestImages.SMALL)));

        JsonNode response = invoke(request("2.0", "{\"notify\":\"true\"}",
                task("2.0", "unicode", "batch/caf%C3%A9+%E2%82%AC/a%2Bb.jpg", AwsFixture.UPLOADS),
                task("2.0", "bad", "batch/notes.jpg", AwsFixture.UPLOADS),
                task("2.0", "missing", "batch/never+uploaded.jpg", AwsFixture.UPLOADS),
                task("2.0", "archived", "batch/cold.jpg", AwsFixture.UPLOADS),
                task("2.0", "foreign", "a.jpg", "no-such-bucket")));

        assertThat(response.get("results").findValuesAsString("taskId"))
            .containsExactly("unicode", "bad", "missing", "archived", "foreign");
        assertThat(response.get("results").findValuesAsString("resultCode")).containsExactly("Succeeded",
                "PermanentFailure", "PermanentFailure", "PermanentFailure", "PermanentFailure");
        JsonNode results = response.get("results");
        assertThat(results.get(0).get("resultString").asString()).contains("thumbnails/batch/café €/a+b.jpg");
        assertThat(results.get(1).get("resultString").asString()).startsWith("rejected: not a JPEG");
        assertThat(results.get(2).get("resultString").asString())
            .isEqualTo("no such object: uploads/batch/never uploaded.jpg");
        assertThat(results.get(3).get("resultString").asString()).startsWith("archived: ").contains("restored");
        assertThat(results.get(4).get("resultString").asString())
            .startsWith("task names bucket no-such-bucket, not the upload bucket uploads");
        // notify=true: the processed and the rejected object were announced
        assertThat(aws.notifications(2)).extracting(notification -> notification.attributes().get("status"))
            .containsExactlyInAnyOrder("String:PROCESSED", "String:REJECTED");
        assertThat(aws.item("uploads/batch/notes.jpg").get("status").s()).isEqualTo("REJECTED");
    }

    @Test
    void forceRemakesWhatIsUpToDate() {
        aws.upload("forced.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        invoke(request("1.0", null, task("1.0", "first", "forced.jpg", AwsFixture.UPLOADS)));
        String firstAt = aws.item("uploads/forced.jpg").get("processedAt").s();

        JsonNode forced = invoke(request("2.0", "{\"force\":\"true\"}",
                task("2.0", "again", "forced.jpg", AwsFixture.UPLOADS)));

        assertThat(forced.at("/results/0/resultString").asString()).startsWith("processed:");
        assertThat(aws.item("uploads/forced.jpg").get("processedAt").s()).isNotEqualTo(firstAt);
    }
}
