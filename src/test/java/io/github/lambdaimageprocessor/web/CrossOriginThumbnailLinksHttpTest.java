package io.github.lambdaimageprocessor.web;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ThumbnailLinks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app where thumbnails are links, as under profile {@code aws} (a stand-in for the presigned GETs): a page on
 * an allowed origin gets the thumbnail's bytes, as from the function, since the redirect's fetch would reach S3 with
 * {@code Origin: null}; a request without an Origin (an {@code <img>}) keeps the redirect.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CrossOriginThumbnailLinksHttpTest {

    private static final String APP = "http://localhost:3000";

    private static final Path ROOT = TestFolders.create("cross-origin-links-test");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.uploads.allowed-origins", () -> APP);
    }

    @TestConfiguration
    static class Links {

        @Bean
        ThumbnailLinks thumbnailLinks() {
            return thumbnail -> URI.create("https://" + thumbnail.bucket() + ".s3.example/" + thumbnail.key());
        }
    }

    @Test
    void aPageOnAnAllowedOriginGetsTheBytesAndAnImgTheRedirect() throws Exception {
        String boundary = "b" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlinked.jpg\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(TestImages.bytes(TestImages.SMALL));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);

        HttpResponse<byte[]> fromApp = http.send(HttpRequest.newBuilder(uri("/thumbnails/linked.jpg"))
            .header("Origin", APP)
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> img = http.send(HttpRequest.newBuilder(uri("/thumbnails/linked.jpg")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(fromApp.statusCode()).isEqualTo(200);
        assertThat(fromApp.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(fromApp.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(fromApp.body()).startsWith((byte) 0xFF, (byte) 0xD8);
        assertThat(img.statusCode()).isEqualTo(302);
        assertThat(img.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).startsWith("https://").contains(".s3.example/"));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
