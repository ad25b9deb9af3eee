package io.github.lambdaimageprocessor.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

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
 * The app on its default loopback address, sent what a hostile page in the developer's browser can send: writes from
 * another site, and requests naming the attacker's host after DNS rebinding. All refused, nothing stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForeignRequestHttpTest {

    private static final Path ROOT = TestFolders.create("foreign-request-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
    }


    @Test
    void aFormPostFromAnotherSiteIsA403ProblemAndStoresNothing() throws Exception {
        // what a hidden form or fetch(..., {mode: 'no-cors'}) on https://evil.example sends: no preflight needed
        HttpResponse<String> response = http.send(upload("cross-site.jpg")
            .header("Origin", "https://evil.example")
            .header("Sec-Fetch-Site", "cross-site")
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("title").asString()).isEqualTo("Forbidden");
        assertThat(problem.get("detail").asString()).contains("sent by another website");
        assertThat(ROOT.resolve("uploads/cross-site.jpg")).doesNotExist();
        assertThat(http.send(HttpRequest.newBuilder(uri("/images/cross-site.jpg")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    /**
     * With no origin allowed (the default), a preflight from another site is refused on every route, as once some
     * are: it was answered 200 with every method in {@code Allow}, those the route does not have too.
     */
    @ParameterizedTest
    @ValueSource(strings = { "/uploads", "/images", "/images/a.jpg", "/thumbnails/a.jpg", "/local-uploads/a.jpg",
            "/processImage", "/" })
    void aPreflightFromAnotherSiteIsA403ProblemOnEveryRoute(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "PUT")
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Allow")).isEmpty();
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control"));
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("https://evil.example");
    }

    @Test
    void aFormPostFromTheAppsOwnPageIsStored() throws Exception {
        HttpResponse<String> response = http.send(upload("own-page.jpg")
            .header("Origin", "http://localhost:" + port)
            .header("Sec-Fetch-Site", "same-origin")
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/own-page.jpg")).exists();
    }

    @Test
    void aFormPostWithoutOriginAsCurlSendsItIsStored() throws Exception {
        HttpResponse<String> response = http.send(upload("curl.jpg").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/curl.jpg")).exists();
    }

    @Test
    void theOtherWritesAreRefusedFromAnotherSiteToo() throws Exception {
        // a text/plain POST is a simple request: without the filter it reaches the route (and gets 415 there)
        HttpResponse<String> ticket = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Sec-Fetch-Site", "cross-site")
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"a.jpg\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/images/put.jpg"))
            .header("Origin", "http://localhost:3000")
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> event = http.send(HttpRequest.newBuilder(uri("/processImage"))
            .header("Origin", "https://evil.example")
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ticket.statusCode()).isEqualTo(403);
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(event.statusCode()).isEqualTo(403);
        assertThat(ROOT.resolve("uploads/put.jpg")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "POST" })
    void aRequestNamingAnotherHostIsA421ProblemSoARebindingPageGetsNothing(String method) throws Exception {
        String[] response = raw(method + " /images?limit=1 HTTP/1.1\r\nHost: evil.example:" + port + "\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(response[0]).startsWith("HTTP/1.1 421");
        assertThat(response[0]).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(JSON.readTree(response[1]).get("status").asInt()).isEqualTo(421);
        assertThat(response[1]).doesNotContain("items");
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "127.0.0.1", "LocalHost" })
    void aRequestNamingALoopbackHostIsAnswered(String host) throws Exception {
        String[] response = raw("GET /images?limit=1 HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(response[0]).startsWith("HTTP/1.1 200");
        assertThat(response[1]).contains("items");
    }

    /** Over a socket, since the JDK's client will not send a Host header of our choosing: head and body. */
    private String[] raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return new String[] { response.substring(0, end), response.substring(end + 4) };
        }
    }

    private HttpRequest.Builder upload(String key) throws IOException {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n" + key + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(TestImages.bytes(TestImages.SMALL));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
