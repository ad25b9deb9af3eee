package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.S3Events;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import io.github.lambdaimageprocessor.processing.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.Message;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.lambdaimageprocessor.aws.WebAppLog.assertOneWarning;
import static io.github.lambdaimageprocessor.function.S3Events.event;
import static io.github.lambdaimageprocessor.function.S3Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The web app in profile {@code aws} against moto when a service fails under it: a bucket, table or topic that is gone
 * or a bucket in another region (a configuration fault: 502, no {@code Retry-After}), S3 throttling or a download
 * broken off (503 with {@code Retry-After}), each a problem detail naming the service and one WARN line in the log, no
 * stack trace. S3 is reached through a {@link FaultProxy} that throttles, breaks off downloads or redirects to another
 * region only while a test asks it to. {@link AwsOutageIT} has the unreachable endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("aws")
@ExtendWith(OutputCaptureExtension.class)
class AwsFailureHttpIT {

    private static final MotoServer moto = MotoServer.shared();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AtomicBoolean throttling = new AtomicBoolean();

    private static final AtomicBoolean cuttingDownloads = new AtomicBoolean();

    private static final AtomicBoolean redirecting = new AtomicBoolean();

    private static final FaultProxy s3 = proxy();

    private final HttpClient http = HttpClient.newHttpClient();

    private AwsFixture aws;

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("processImage")
    Function<Message<byte[]>, List<ProcessedImage>> processImage;

    @DynamicPropertySource
    static void awsProperties(DynamicPropertyRegistry registry) {
        AwsFixture.applicationProperties(moto.endpoint()).forEach((name, value) -> registry.add(name, () -> value));
        registry.add("spring.cloud.aws.s3.endpoint", () -> s3.endpoint().toString());
    }

    @BeforeAll
    static void resourcesForTheStart() {
        AwsFixture.createFresh(moto);
    }

    @AfterAll
    static void stopTheProxy() {
        s3.close();
    }

    @BeforeEach
    void resources() {
        throttling.set(false);
        cuttingDownloads.set(false);
        redirecting.set(false);
        aws = AwsFixture.createFresh(moto);
    }

    @Test
    void aDeletedTableIsA502NamingDynamoDbAndLogsOneWarning(CapturedOutput output) throws Exception {
        aws.dynamoDb.deleteTable(request -> request.tableName(AwsFixture.TABLE));
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images/photo.jpg")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertConfigurationFault(response, "DynamoDB has no such resource (ResourceNotFoundException)");
        assertOneWarning(output.getOut().substring(logged),
                "502 GET /images/photo.jpg: DynamoDB GetItem failed, not found, error code ResourceNotFoundException, "
                        + "request id ");
    }

    @Test
    void aDeletedProcessedBucketIsA502NamingS3(CapturedOutput output) throws Exception {
        aws.s3.deleteBucket(request -> request.bucket(AwsFixture.PROCESSED));
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertConfigurationFault(response, "S3 has no such resource (NoSuchBucket)");
        assertOneWarning(output.getOut().substring(logged),
                "502 PUT /images/photo.jpg: S3 PutObject failed, not found, error code NoSuchBucket, request id ");
        // the upload itself was stored, and its claim given back for the next attempt
        assertThat(aws.item(AwsFixture.UPLOADS + "/photo.jpg")).containsKey("status").doesNotContainKey("notifiedAt");
    }

    @Test
    void aDeletedTopicIsA502NamingSns(CapturedOutput output) throws Exception {
        aws.sns.deleteTopic(request -> request.topicArn(AwsFixture.TOPIC_ARN));
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertConfigurationFault(response, "SNS has no such resource (NotFound)");
        assertOneWarning(output.getOut().substring(logged),
                "502 PUT /images/photo.jpg: SNS Publish failed, not found, error code NotFound, request id ");
    }

    @Test
    void s3ThrottlingIsA503WithRetryAfterAndTheRetrySucceeds(CapturedOutput output) throws Exception {
        throttling.set(true);
        int logged = output.getOut().length();

        HttpResponse<String> throttled = put("/images/photo.jpg");

        assertThat(throttled.statusCode()).as(throttled.body()).isEqualTo(503);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
        assertThat(throttled.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(throttled.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service throttling");
        assertThat(problem.path("detail").asString()).startsWith("S3 is throttling this server's requests (SlowDown)");
        assertOneWarning(output.getOut().substring(logged),
                "503 PUT /images/photo.jpg: S3 PutObject failed, throttled, error code SlowDown, request id THROTTLED: "
                        + "Failed to write");

        throttling.set(false);
        assertThat(put("/images/photo.jpg").statusCode()).isEqualTo(201);
    }

    @Test
    void aDownloadThatBreaksOffIsA503AsUnreachable(CapturedOutput output) throws Exception {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        cuttingDownloads.set(true);
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/processImage"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers
                .ofString(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg"))))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("10");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service unreachable");
        assertThat(problem.path("detail").asString()).startsWith("S3 could not be reached");
        // one line: the function's for its failed record, at ERROR as on Lambda, without a stack trace; the answer
        // adds none
        String log = output.getOut().substring(logged);
        assertThat(log.lines().filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")))
            .singleElement()
            .satisfies(line -> {
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.at("/log/level").asString()).isEqualTo("ERROR");
                assertThat(entry.get("message").asString()).startsWith("Failed to process s3://uploads/photo.jpg: S3 "
                        + "GetObject failed, unreachable: Failed to read s3://uploads/photo.jpg: the download broke off: ");
                assertThat(entry.get("objectKey").asString()).isEqualTo("photo.jpg");
                assertThat(entry.at("/error/type").asString()).isEqualTo(AwsCallFailedException.class.getName());
                assertThat(entry.at("/error/message").asString())
                    .startsWith("Failed to read s3://uploads/photo.jpg: the download broke off: ");
            });
        assertThat(log).doesNotContain("stack_trace");
        assertThat(aws.item(AwsFixture.UPLOADS + "/photo.jpg")).as("nothing recorded, REJECTED least of all")
            .isEmpty();
    }

    @Test
    void aDownloadThatBreaksOffFailsTheEventSoLambdaRetriesIt() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        cuttingDownloads.set(true);

        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> processImage
                .apply(json(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg")))))
            .withMessageContaining("1 of 1 records failed")
            .havingCause()
            .isInstanceOfSatisfying(AwsCallFailedException.class, failure -> {
                assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
                assertThat(failure.operation()).isEqualTo("GetObject");
            });
        assertThat(aws.item(AwsFixture.UPLOADS + "/photo.jpg")).as("nothing recorded, REJECTED least of all")
            .isEmpty();

        cuttingDownloads.set(false);
        assertThat(processImage.apply(json(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS,
                "photo.jpg"))))).singleElement().extracting(ProcessedImage::status).isEqualTo(Status.PROCESSED);
    }

    @Test
    void aBucketInAnotherRegionIsA502ThatSaysSoAndKeepsTheRegionForTheLog(CapturedOutput output) throws Exception {
        redirecting.set(true);
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service resource in another region");
        assertThat(problem.path("detail").asString())
            .startsWith("S3 answered that the resource is in another AWS region than the one this server calls "
                    + "(PermanentRedirect)")
            .doesNotContain("eu-west-1")
            .doesNotContain(AwsFixture.UPLOADS)
            .doesNotContain("Please send");
        assertOneWarning(output.getOut().substring(logged), "502 PUT /images/photo.jpg: S3 PutObject failed, wrong "
                + "region, error code PermanentRedirect, request id REDIRECTED: Failed to write s3://uploads/photo.jpg");
        assertThat(output.getOut().substring(logged)).contains("S3 says the bucket is in eu-west-1");
    }

    private static void assertConfigurationFault(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service resource missing");
        assertThat(problem.path("detail").asString()).startsWith(detail)
            .contains("Trying again will not help")
            // the service's own words (and the account in the topic's ARN, the table's name) stay in the log
            .doesNotContain(MotoServer.ACCOUNT)
            .doesNotContain(AwsFixture.TABLE)
            .doesNotContain("Service:");
    }

    /** The request's log: one WARN line saying what failed, and no stack trace. */
    private HttpResponse<String> put(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /**
     * S3 through a proxy that answers every PutObject of an upload with SlowDown while {@link #throttling}, breaks off
     * every download of one while {@link #cuttingDownloads}, and answers every call on one with PermanentRedirect while
     * {@link #redirecting}.
     */
    private static FaultProxy proxy() {
        try {
            return new FaultProxy(moto.endpoint(), Integer.MAX_VALUE, exchange -> {
                if (!exchange.getRequestURI().getPath().startsWith("/" + AwsFixture.UPLOADS + "/")) {
                    return null;
                }
                String method = exchange.getRequestMethod();
                return redirecting.get() ? FaultProxy.Fault.PERMANENT_REDIRECT
                        : throttling.get() && method.equals("PUT") ? FaultProxy.Fault.SLOW_DOWN
                        : cuttingDownloads.get() && method.equals("GET") ? FaultProxy.Fault.CUT_OFF : null;
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
