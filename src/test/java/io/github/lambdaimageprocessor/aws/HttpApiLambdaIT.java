package io.github.lambdaimageprocessor.aws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.deploy.LambdaRuntimeApi.Result;
import io.github.lambdaimageprocessor.deploy.SamTemplate;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code httpApi} function as API Gateway's HTTP API runs it: the packaged layout ({@code target/lambda-layout})
 * started by the real Lambda Runtime Interface Client with template.yaml's HttpApiFunction handler and environment
 * (profile aws, anonymous use off as deployed without an authorizer), fed API Gateway payload 2.0 events, against
 * moto. See {@link LambdaRuntimeIT} for the runtime set-up this mirrors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiLambdaIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(120);

    private static final String FUNCTION_ID = SamTemplate.HTTP_API_FUNCTION;

    private final MotoServer moto = MotoServer.shared();

    private final HttpClient http = HttpClient.newHttpClient();

    private AwsFixture aws;

    private PackagedFunction function;

    @BeforeAll
    void startTheFunctionInItsOwnJvm() throws Exception {
        assertThat(PackagedFunction.LAYOUT.resolve("lib"))
            .as("run `./mvnw verify` (the layout is built in the package phase)")
            .isDirectory();
        // one function process serves every test, so moto keeps its state for the whole class: wiped once, here
        aws = AwsFixture.createFresh(moto);
        function = PackagedFunction.start(FUNCTION_ID, moto, aws, Path.of("target", "http-api-lambda-it.log"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (function != null) {
            function.close();
        }
    }

    @Test
    void servesThePageToAnyone() throws Exception {
        JsonNode response = invoke("GET", "/", null, null, false);

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(response.at("/headers/Content-Type").asString()).startsWith("text/html");
        assertThat(response.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(response.get("body").asString()), StandardCharsets.UTF_8))
            .contains("<!doctype html>").contains("app.js");
    }

    @Test
    void withoutAVerifiedTokenTheApiRefusesAsDeployedWithoutAnAuthorizerOrOptIn() throws Exception {
        assertThat(function.templateEnvironment()).containsEntry("IMAGE_PROCESSOR_UPLOADS_ALLOW_ANONYMOUS", "false");

        JsonNode upload = invoke("POST", "/uploads", null, uploadRequest(100), false);
        JsonNode list = invoke("GET", "/images", null, null, false);

        for (JsonNode refused : List.of(upload, list)) {
            assertThat(refused.get("statusCode").asInt()).isEqualTo(401);
            assertThat(refused.at("/headers/Content-Type").asString()).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(refused.get("body").asString()).get("detail").asString())
                .contains("AllowAnonymousUploads");
        }
    }

    @Test
    void grantsAPresignedS3UploadThatABrowserCanUse() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);

        JsonNode response = invoke("POST", "/uploads", null, uploadRequest(photo.length), true);

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(response.get("body").asString());
        String key = ticket.get("key").asString();
        assertThat(key).startsWith("browser/").endsWith("-holiday.jpg");
        assertThat(response.at("/headers/Location").asString()).isEqualTo("/images/" + key);
        String url = ticket.get("url").asString();
        assertThat(url).startsWith(moto.endpoint() + "/" + AwsFixture.UPLOADS + "/" + key + "?")
            .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost")
            // five minutes (image-processor.uploads.url-expiry), less the moment the presigning took
            .containsPattern("X-Amz-Expires=(29\\d|300)&");
        assertThat(ticket.at("/headers/Content-Length").asString()).isEqualTo(Integer.toString(photo.length));

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", ticket.at("/headers/Content-Type").asString())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(aws.s3.getObjectAsBytes(request -> request.bucket(AwsFixture.UPLOADS).key(key)).asByteArray())
            .isEqualTo(photo);
    }

    @Test
    void refusesBadUploadRequestsWithProblemDetails() throws Exception {
        JsonNode png = invoke("POST", "/uploads", null,
                "{\"fileName\":\"a.png\",\"contentType\":\"image/png\",\"contentLength\":5}", true);
        JsonNode empty = invoke("POST", "/uploads", null, uploadRequest(0), true);
        JsonNode malformed = invoke("POST", "/uploads", null, "{\"fileName\":", true);
        JsonNode undecodableKey = invoke("GET", "/images/100%", null, null, true);

        for (JsonNode refused : List.of(png, empty, malformed, undecodableKey)) {
            assertThat(refused.get("statusCode").asInt()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.at("/headers/Content-Type").asString()).isEqualTo("application/problem+json");
        }
        assertThat(invoke("GET", "/nowhere", null, null, true).get("statusCode").asInt()).isEqualTo(404);
        JsonNode wrongMethod = invoke("DELETE", "/uploads", null, null, true);
        assertThat(wrongMethod.get("statusCode").asInt()).isEqualTo(405);
        assertThat(wrongMethod.at("/headers/Allow").asString()).isEqualTo("POST");
    }

    @Test
    void aJsonArrayBodyIsTheBodyNotABatchOfEventsOfTheCallersMaking() throws Exception {
        // the adapter, given a typed input, used to call the function once per element, each taken as the event
        String forged = "[{\"rawPath\":\"/uploads\",\"requestContext\":{\"http\":{\"method\":\"POST\"},"
                + "\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"forged\"}}}},\"headers\":{\"content-type\":"
                + "\"application/json\"},\"body\":" + JSON.writeValueAsString(uploadRequest(100)) + "}]";

        JsonNode page = invoke("GET", "/", null, forged, false);
        JsonNode empty = invoke("POST", "/uploads", null, "[]", true);

        assertThat(page.get("statusCode").asInt()).as(page.toString()).isEqualTo(200);
        assertThat(page.at("/headers/Content-Type").asString()).startsWith("text/html");
        assertThat(empty.get("statusCode").asInt()).as(empty.toString()).isEqualTo(400);
        assertThat(empty.at("/headers/Content-Type").asString()).isEqualTo("application/problem+json");
    }

    @Test
    void listsShowsAndLinksToThumbnailsFromDynamoDbAndS3() throws Exception {
        DynamoDbMetadataRepository records = new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE);
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        for (int i = 0; i < 3; i++) {
            records.save(ProcessedImage.processed(new ImageObject(AwsFixture.UPLOADS, "browser/listed-" + i + ".jpg",
                    100, 80, 1000L, "image/jpeg"), new ImageObject(AwsFixture.PROCESSED, "thumbnails/browser/listed-" + i
                            + ".jpg", 64, 51, 500L, "image/jpeg"), now.plusSeconds(i)));
        }
        aws.s3.putObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/browser/listed-2.jpg"),
                RequestBody.fromBytes(new byte[] { 1, 2, 3 }));

        JsonNode first = body(invoke("GET", "/images", Map.of("limit", "2"), null, true));
        JsonNode second = body(invoke("GET", "/images", Map.of("limit", "2", "cursor", first.get("next").asString()),
                null, true));
        JsonNode status = invoke("GET", "/images/browser/listed-1.jpg", null, null, true);
        JsonNode thumbnail = invoke("GET", "/thumbnails/browser/listed-2.jpg", null, null, true);
        JsonNode missing = invoke("GET", "/thumbnails/browser/never.jpg", null, null, true);

        assertThat(first.get("items").valueStream().map(item -> item.at("/source/key").asString()))
            .containsExactly("browser/listed-2.jpg", "browser/listed-1.jpg");
        assertThat(second.get("items").valueStream().map(item -> item.at("/source/key").asString()))
            .containsExactly("browser/listed-0.jpg");
        assertThat(status.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(status).get("status").asString()).isEqualTo("PROCESSED");
        assertThat(thumbnail.get("statusCode").asInt()).isEqualTo(302);
        String location = thumbnail.at("/headers/Location").asString();
        assertThat(location).contains("X-Amz-Expires=60");
        HttpResponse<byte[]> followed = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(followed.body()).containsExactly(1, 2, 3);
        assertThat(missing.get("statusCode").asInt()).isEqualTo(404);
        assertThat(invoke("GET", "/images", Map.of("limit", "1000"), null, true).get("statusCode").asInt())
            .isEqualTo(400);
    }

    private static String uploadRequest(long length) {
        return "{\"fileName\":\"Holiday.JPG\",\"contentType\":\"image/jpeg\",\"contentLength\":" + length + "}";
    }

    private static JsonNode body(JsonNode response) {
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        return JSON.readTree(response.get("body").asString());
    }

    /**
     * A page on the template's UploadsAllowedOrigins: its preflight (no token) is answered, and a thumbnail comes as
     * its bytes, read from S3, since the browser would follow the redirect to S3 with Origin: null.
     */
    @Test
    void aPageOnAnAllowedOriginGetsItsPreflightAnsweredAndThumbnailsAsBytes() throws Exception {
        String origin = PackagedFunction.HTTP_API_ALLOWED_ORIGIN;
        assertThat(function.templateEnvironment()).containsEntry("IMAGE_PROCESSOR_UPLOADS_ALLOWED_ORIGINS", origin);
        DynamoDbMetadataRepository records = new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE);
        records.save(ProcessedImage.processed(new ImageObject(AwsFixture.UPLOADS, "browser/cors.jpg", 100, 80, 1000L,
                "image/jpeg"), new ImageObject(AwsFixture.PROCESSED, "thumbnails/browser/cors.jpg", 64, 51, 3L,
                        "image/jpeg"), Instant.parse("2026-12-03T12:00:00Z")));
        aws.s3.putObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/browser/cors.jpg"),
                RequestBody.fromBytes(new byte[] { 4, 5, 6 }));

        JsonNode preflight = invoke("OPTIONS", "/uploads", null, null, false,
                Map.of("origin", origin, "access-control-request-method", "POST"));
        JsonNode refused = invoke("OPTIONS", "/uploads", null, null, false,
                Map.of("origin", "https://evil.example", "access-control-request-method", "POST"));
        JsonNode thumbnail = invoke("GET", "/thumbnails/browser/cors.jpg", null, null, true, Map.of("origin", origin));
        JsonNode img = invoke("GET", "/thumbnails/browser/cors.jpg", null, null, true, Map.of());

        assertThat(preflight.get("statusCode").asInt()).as(preflight.toString()).isEqualTo(204);
        assertThat(preflight.at("/headers/Access-Control-Allow-Origin").asString()).isEqualTo(origin);
        assertThat(refused.get("statusCode").asInt()).as(refused.toString()).isEqualTo(403);
        assertThat(thumbnail.get("statusCode").asInt()).as(thumbnail.toString()).isEqualTo(200);
        assertThat(thumbnail.at("/headers/Access-Control-Allow-Origin").asString()).isEqualTo(origin);
        assertThat(thumbnail.at("/headers/Content-Type").asString()).isEqualTo("image/jpeg");
        assertThat(Base64.getDecoder().decode(thumbnail.get("body").asString())).containsExactly(4, 5, 6);
        assertThat(img.get("statusCode").asInt()).isEqualTo(302);
        assertThat(img.at("/headers/Access-Control-Allow-Origin").isMissingNode()).isTrue();
    }

    private JsonNode invoke(String method, String path, Map<String, String> query, String body, boolean signedIn)
            throws Exception {
        return invoke(method, path, query, body, signedIn, Map.of());
    }

    /** An API Gateway HTTP API (payload 2.0) event, with the claims a JWT authorizer adds when {@code signedIn}. */
    private JsonNode invoke(String method, String path, Map<String, String> query, String body, boolean signedIn,
            Map<String, String> headers) throws Exception {
        Map<String, Object> http = Map.of("method", method, "path", path, "protocol", "HTTP/1.1", "sourceIp",
                "192.0.2.1", "userAgent", "test");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", MotoServer.ACCOUNT);
        context.put("apiId", "api123");
        context.put("domainName", "api123.execute-api.us-east-1.amazonaws.com");
        context.put("http", http);
        context.put("requestId", "req-" + System.nanoTime());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", "03/Dec/2026:12:00:00 +0000");
        context.put("timeEpoch", 1796212800000L);
        if (signedIn) {
            context.put("authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", "user-1", "iss",
                    "https://issuer.example"), "scopes", List.of())));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : String.join("&", query.entrySet()
            .stream()
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .toList()));
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.put("accept", "*/*");
        if (body != null) {
            sent.put("content-type", "application/json");
        }
        event.put("headers", sent);
        if (query != null) {
            event.put("queryStringParameters", query);
        }
        event.put("requestContext", context);
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        Result result = function.invoke(JSON.writeValueAsString(event), INVOCATION_TIMEOUT);
        assertThat(result.success()).as(result + "\n" + function.logTail()).isTrue();
        return JSON.readTree(result.body());
    }
}
