package io.github.lambdaimageprocessor.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app with {@code image-processor.uploads.allowed-origins} set, as a page on that origin uses it from the
 * browser: preflights, the whole upload flow with the CORS headers a browser needs to read each answer, and the writes
 * of every other origin still refused. Without the setting, {@code ForeignRequestHttpTest} and
 * {@code BrowserUploadHttpTest} hold (no CORS at all).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CrossOriginHttpTest {

    private static final String APP = "http://localhost:3000";

    private static final Path ROOT = TestFolders.create("cross-origin-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        // as the operator may write it: the browser sends http://localhost:3000
        registry.add("image-processor.uploads.allowed-origins", () -> "https://app.example.com,HTTP://LocalHost:3000");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** What a browser on {@link #APP} adds to each request to this app (another port: the same site). */
    private static HttpRequest.Builder fromApp(HttpRequest.Builder request) {
        return request.header("Origin", APP).header("Sec-Fetch-Site", "same-site").header("Sec-Fetch-Mode", "cors");
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers)
            throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", headers)
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCors(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(response.headers().allValues("Vary").toString()).contains("Origin");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void aPageOnAnAllowedOriginUploadsPollsAndReadsTheThumbnail() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);

        // POST /uploads as JSON, with a token as on AWS: preflighted
        HttpResponse<String> ask = preflight("/uploads", APP, "POST", "authorization,content-type");
        assertThat(ask.statusCode()).isEqualTo(200);
        assertCors(ask);
        assertThat(ask.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(ask.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
            .contains("authorization").contains("content-type");
        assertThat(ask.headers().firstValue("Access-Control-Max-Age")).contains("600");
        HttpResponse<String> granted = http.send(fromApp(HttpRequest.newBuilder(uri("/uploads")))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer local-has-none")
            .POST(HttpRequest.BodyPublishers.ofString("""
                    {"fileName": "from-app.jpg", "contentType": "image/jpeg", "contentLength": %d}
                    """.formatted(photo.length)))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertCors(granted);
        assertThat(granted.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("Location");
        JsonNode ticket = JSON.readTree(granted.body());
        URI url = URI.create(ticket.get("url").asString());

        // the PUT with the headers the ticket lists, which a preflight must allow
        HttpResponse<String> putAsk = preflight(url.getRawPath() + "?" + url.getRawQuery(), APP, "PUT",
                "content-type,if-none-match");
        assertThat(putAsk.statusCode()).isEqualTo(200);
        assertCors(putAsk);
        assertThat(putAsk.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");
        assertThat(putAsk.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
            .contains("content-type").contains("if-none-match");
        HttpResponse<String> put = http.send(fromApp(HttpRequest.newBuilder(url))
            .header("Content-Type", "image/jpeg")
            .header("If-None-Match", "*")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertCors(put);
        assertThat(put.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("ETag");

        // the record and the thumbnail's bytes, readable by the page
        HttpResponse<String> record = http.send(fromApp(HttpRequest.newBuilder(URI.create(
                granted.headers().firstValue("Location").orElseThrow()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertCors(record);
        HttpResponse<byte[]> thumbnail = http.send(fromApp(HttpRequest.newBuilder(uri("/thumbnails/"
                + ticket.get("key").asString()))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertCors(thumbnail);
    }

    /** The page reads why it was refused, as from the function. */
    @Test
    void aProblemToAnAllowedOriginCarriesTheCorsHeaders() throws Exception {
        HttpResponse<String> missing = http.send(fromApp(HttpRequest.newBuilder(uri("/images/browser/none.jpg")))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badRequest = http.send(fromApp(HttpRequest.newBuilder(uri("/uploads")))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\": \"a.jpg\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertCors(missing);
        assertThat(badRequest.statusCode()).isEqualTo(400);
        assertThat(badRequest.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertCors(badRequest);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "http://localhost:3001", "https://localhost:3000", "null" })
    void anyOtherOriginsPreflightIsRefusedAndItsWritesToo(String origin) throws Exception {
        HttpResponse<String> ask = preflight("/uploads", origin, "POST", "content-type");
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Origin", origin)
            .header("Sec-Fetch-Site", "cross-site")
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\": \"a.jpg\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ask.statusCode()).isEqualTo(403);
        assertThat(ask.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(ask.body()).get("detail").asString()).contains(origin)
            .contains("image-processor.uploads.allowed-origins");
        assertThat(ask.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("sent by another website");
        assertThat(write.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    /**
     * A read from another origin is answered as without the setting (the browser keeps the answer from the page):
     * listing one origin does not turn every other origin's reads into 403s, as on the function.
     */
    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "null" })
    void anyOtherOriginsReadIsAnsweredAsWithoutTheSetting(String origin) throws Exception {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/images")).header("Origin", origin).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
    }

    /** An allowed origin's preflight for what the route does not take is refused, saying so. */
    @Test
    void aPreflightForAMethodTheRouteDoesNotTakeIsRefused() throws Exception {
        HttpResponse<String> ask = preflight("/uploads", APP, "DELETE", "content-type");

        assertThat(ask.statusCode()).isEqualTo(403);
        assertThat(ask.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    /** curl, an {@code <img>}, the app's own page: no CORS headers, as without the setting. */
    @Test
    void aRequestWithoutAnOriginGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/images")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> own = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Origin", "http://localhost:" + port)
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
    }
}
