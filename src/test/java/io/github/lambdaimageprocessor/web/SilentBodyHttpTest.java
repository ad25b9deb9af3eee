package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.TestFolders;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body that stops arriving altogether, which the floor under its pace cannot see (no read returns): Tomcat's read
 * timeout ends it, here 3 s. Tomcat then waited as long again for the rest of the body before closing, so the thread
 * was held twice the timeout, and each route answered it its own way; now it is a 408 problem like a body below the
 * floor, and the connection closes at the first timeout; with the floor turned off too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SilentBodyHttpTest {

    private static final Path ROOT = TestFolders.create("silent-body-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("server.tomcat.connection-timeout", () -> READ_TIMEOUT.toSeconds() + "s");
        // no floor: the read timeout is handled without one
        registry.add("image-processor.limits.min-upload-rate", () -> "0");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT /images/silent.jpg", "POST /images", "POST /processImage" })
    void aBodyThatStopsArrivingIsA408ProblemOnceTheReadTimesOutAndItsConnectionCloses(String route,
            CapturedOutput output) throws Exception {
        Set<Path> before = files();
        int logged = output.getOut().length();
        String type = switch (route) {
            case "POST /images" -> "multipart/form-data; boundary=xyz";
            case "POST /processImage" -> "application/json";
            default -> "image/jpeg";
        };
        String response;
        long start = System.nanoTime();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) READ_TIMEOUT.multipliedBy(3).toMillis());
            socket.getOutputStream().write((route + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type
                    + "\r\nContent-Length: 5000\r\n\r\n--xyz\r\n").getBytes(StandardCharsets.US_ASCII));
            // and nothing more, the connection left open
            try {
                response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (SocketTimeoutException e) {
                throw new AssertionError(route + ": the connection was still open after three read timeouts", e);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response).as(route).startsWith("HTTP/1.1 408");
        assertThat(took).as(route + ": closed after one read timeout, not two")
            .isGreaterThanOrEqualTo(READ_TIMEOUT.minusMillis(100))
            .isLessThan(READ_TIMEOUT.plusMillis(READ_TIMEOUT.toMillis() * 2 / 3));
        assertThat(response).containsIgnoringCase("Connection: close");
        JsonNode problem = JSON.readTree(response.substring(response.indexOf('{'), response.lastIndexOf('}') + 1));
        assertThat(problem.get("status").asInt()).isEqualTo(408);
        assertThat(problem.get("detail").asString()).as(route)
            .startsWith("The request body stopped arriving: nothing came for longer than the server waits for it "
                    + "(server.tomcat.connection-timeout)");
        assertThat(files()).as(route + ": stored or recorded").isEqualTo(before);
        assertThat(output.getOut().substring(logged).lines().filter(line -> line.contains(" WARN ")).toList())
            .as(route)
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("408 " + route + " from 127.0.0.1: The request body stopped arriving");
    }

    private static Set<Path> files() throws IOException {
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }
}
