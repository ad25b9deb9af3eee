package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.S3Events;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
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
 * The application in profile {@code aws} when AWS cannot be reached at all: its endpoint is a loopback port nobody
 * listens on, so every call is refused. The event fails (Lambda retries it) instead of reporting success, and the web
 * app's routes answer 503 with {@code Retry-After}, naming the service. The shared moto server stays up for the other
 * tests; none is needed here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("aws")
@ExtendWith(OutputCaptureExtension.class)
class AwsOutageIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("processImage")
    Function<Message<byte[]>, List<ProcessedImage>> processImage;

    @DynamicPropertySource
    static void unreachableAws(DynamicPropertyRegistry registry) {
        AwsFixture.applicationProperties(java.net.URI.create("http://127.0.0.1:" + closedPort()))
            .forEach((name, value) -> registry.add(name, () -> value));
    }

    @Test
    void anUnreachableAwsFailsTheEventInsteadOfReportingSuccess() {
        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> processImage
                .apply(json(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg")))))
            .withMessageContaining("1 of 1 records failed")
            .withMessageContaining("Failed to read the record of s3://uploads/photo.jpg")
            .withRootCauseInstanceOf(ConnectException.class);
    }

    @Test
    void anUploadWhileS3CannotBeReachedIsA503WithRetryAfterAndOneWarning(CapturedOutput output) throws Exception {
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images/photo.jpg"))
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertUnreachable(response, "S3");
        assertOneWarning(output.getOut().substring(logged),
                "503 PUT /images/photo.jpg: S3 PutObject failed, unreachable: Failed to write s3://uploads/photo.jpg");
    }

    @Test
    void readingRecordsWhileDynamoDbCannotBeReachedIsA503(CapturedOutput output) throws Exception {
        int logged = output.getOut().length();

        HttpResponse<String> record = http.send(HttpRequest.newBuilder(uri("/images/photo.jpg")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/images?limit=5")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertUnreachable(record, "DynamoDB");
        assertUnreachable(list, "DynamoDB");
        String log = output.getOut().substring(logged);
        assertThat(log).contains("503 GET /images/photo.jpg: DynamoDB GetItem failed, unreachable")
            .contains("503 GET /images: DynamoDB Query failed, unreachable")
            .doesNotContain("stack_trace");
    }

    @Test
    void anEventPostedToTheFunctionRouteWhileAwsCannotBeReachedIsA503() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/processImage"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers
                .ofString(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg"))))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertUnreachable(response, "DynamoDB");
    }

    private static void assertUnreachable(HttpResponse<String> response, String service) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("10");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service unreachable");
        assertThat(problem.path("detail").asString()).startsWith(service + " could not be reached")
            // neither the endpoint nor the SDK's words
            .doesNotContain("127.0.0.1")
            .doesNotContain("Unable to execute");
    }

    /** The request's log: one WARN line saying what failed, and no stack trace. */
    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A loopback port that was free a moment ago and that nothing here listens on. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
