package io.github.lambdaimageprocessor.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /backfillImages} on the local app: S3 Batch Operations requests over HTTP, and what is not one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackfillHttpTest {

    private static final Path ROOT = TestFolders.create("backfill-http-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
    }


    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bothSampleRequestsRunAndTheSecondFindsTheWorkDone() throws Exception {
        Files.createDirectories(ROOT.resolve("uploads/photos"));
        Files.write(ROOT.resolve("uploads/photos/my photo(1).jpg"), TestImages.bytes(TestImages.CAMERA_PHOTO));

        HttpResponse<String> first = post("/backfillImages", Files.readString(Path.of("events/batch/s3-batch-1.0.json")),
                "application/json");
        HttpResponse<String> second = post("/backfillImages", Files.readString(Path.of("events/batch/s3-batch-2.0.json")),
                "application/json");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode v1 = JSON.readTree(first.body());
        assertThat(v1.get("invocationSchemaVersion").asString()).isEqualTo("1.0");
        assertThat(v1.get("invocationId").asString()).isEqualTo("YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo");
        assertThat(v1.get("treatMissingKeysAs").asString()).isEqualTo("PermanentFailure");
        assertThat(v1.at("/results/0/taskId").asString()).isEqualTo("dGFza2lkZ29lc2hlcmUK");
        assertThat(v1.at("/results/0/resultCode").asString()).isEqualTo("Succeeded");
        assertThat(v1.at("/results/0/resultString").asString()).startsWith("processed: 256x192");
        assertThat(ROOT.resolve("processed/thumbnails/photos/my photo(1).jpg")).exists();

        assertThat(second.statusCode()).isEqualTo(200);
        JsonNode v2 = JSON.readTree(second.body());
        assertThat(v2.get("invocationSchemaVersion").asString()).isEqualTo("2.0");
        assertThat(v2.at("/results/0/resultCode").asString()).isEqualTo("Succeeded");
        assertThat(v2.at("/results/0/resultString").asString()).startsWith("already done: up to date");
    }

    @Test
    void whatIsNotABatchRequestIsA4xxProblemNeverA500() throws Exception {
        for (String body : new String[] { "{}", "[]", "not json", "", "{\"tasks\":[]}",
                "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"s3Key\":\"a.jpg\"}]}",
                "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\",\"s3Key\":{}}]}",
                "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"job\":{\"userArguments\":[1]},"
                        + "\"tasks\":[{\"taskId\":\"t\",\"s3Key\":\"a.jpg\",\"s3Bucket\":\"uploads\"}]}",
                // shapes the request's record cannot take: Spring Cloud Function then hands the function the raw
                // text, which fails with a ClassCastException (a 500)
                batchRequestWithJob("\"x\""), batchRequestWithJob("[]"), batchRequestWithJob("{\"id\":{}}"),
                batchRequestWithJob("{\"userArguments\":{\"force\":{}}}"),
                batchRequestWithJob("{\"userArguments\":{\"notify\":[true]}}"),
                "{\"Records\":[]}" }) {
            HttpResponse<String> response = post("/backfillImages", body, "application/json");

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("instance").asString()).isEqualTo("/backfillImages");
        }
        HttpResponse<String> text = post("/backfillImages", "{}", "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(text.body()).get("detail").asString()).contains("S3 Batch Operations request");
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/backfillImages")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    private static String batchRequestWithJob(String job) {
        return "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"job\":" + job
                + ",\"tasks\":[{\"taskId\":\"t\",\"s3Key\":\"a.jpg\",\"s3Bucket\":\"uploads\"}]}";
    }

    @Test
    void aTaskNamingNoUsableObjectGetsAPermanentFailureResult() throws Exception {
        String body = """
                {"invocationSchemaVersion":"2.0","invocationId":"i","job":{"id":"j"},
                 "tasks":[{"taskId":"t1","s3Bucket":"uploads","s3Key":"never%2Fuploaded.jpg"},
                          {"taskId":"t2","s3BucketArn":"nonsense","s3Key":"a.jpg"}]}""";

        HttpResponse<String> response = post("/backfillImages", body, "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body()).get("results");
        assertThat(results.findValuesAsString("resultCode")).containsExactly("PermanentFailure", "PermanentFailure");
        assertThat(results.get(0).get("resultString").asString()).isEqualTo("no such object: uploads/never/uploaded.jpg");
    }

    @Test
    void aKeyTheLocalStoreCannotHoldIsAPermanentFailureEveryTimeNotATemporaryOneOnceRecorded() throws Exception {
        String body = """
                {"invocationSchemaVersion":"2.0","invocationId":"i",
                 "tasks":[{"taskId":"t1","s3Bucket":"uploads","s3Key":"..%2Fdot-dot.jpg"}]}""";

        for (int run = 1; run <= 2; run++) {
            HttpResponse<String> response = post("/backfillImages", body, "application/json");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode result = JSON.readTree(response.body()).at("/results/0");
            // a retry fails the same way: S3 Batch Operations would retry a TemporaryFailure for nothing
            assertThat(result.get("resultCode").asString()).as("run " + run).isEqualTo("PermanentFailure");
            assertThat(result.get("resultString").asString()).as("run " + run).contains("cannot be stored locally");
        }
    }

    @Test
    void processImageIsStillServedAndGuarded() throws Exception {
        assertThat(post("/processImage", "[1]", "application/json").statusCode()).isEqualTo(400);
        assertThat(post("/", "[1]", "application/json").statusCode()).as("the page's, not the function's")
            .isEqualTo(405);
    }
}
