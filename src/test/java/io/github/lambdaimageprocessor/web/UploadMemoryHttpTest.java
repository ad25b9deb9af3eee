package io.github.lambdaimageprocessor.web;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/**
 * The upload memory budget in the running app: while one upload's body is being received and fills the budget, another
 * upload is answered 503 at once, and once the first is over the next one is taken.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UploadMemoryHttpTest {

    private static final Path ROOT = TestFolders.create("upload-memory-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.limits.max-upload-size", () -> "1MB");
        registry.add("image-processor.limits.upload-memory", () -> "1MB");
    }

    private HttpResponse<String> put(String key, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/images/" + key))
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadThatDoesNotFitBesideOneBeingReceivedIsA503AndTheNextOneIsTaken() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        HttpResponse<String> refused;
        try (Socket slow = new Socket("localhost", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("PUT /images/slow.jpg HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            // the slow body holds the whole budget until it ends; give its request a moment to reach the filter
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                Thread.sleep(50);
                refused = put("refused.jpg", photo);
            }
            while (refused.statusCode() != 503 && System.nanoTime() < deadline);
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("detail").asString()).contains("image-processor.limits.upload-memory");
        // the slow connection is gone: its share comes back when Tomcat gives up on its body
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> taken;
        do {
            Thread.sleep(50);
            taken = put("taken.jpg", photo);
        }
        while (taken.statusCode() == 503 && System.nanoTime() < deadline);
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/refused.jpg")).doesNotExist();
    }
}
