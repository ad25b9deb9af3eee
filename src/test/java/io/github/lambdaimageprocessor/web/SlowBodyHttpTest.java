package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The floor under a request body's pace ({@code image-processor.limits.min-upload-rate}) in the running app, over raw
 * sockets: a body trickling below it is answered 408 with a problem detail soon after the grace period, on every route
 * that reads a body, its connection closed while the client still sends and nothing stored; the threads such bodies
 * held serve other requests again; a body at a normal pace, or slow but above the floor, is taken. A floor of 1 KB per
 * second after 1 s and four request threads keep it short.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SlowBodyHttpTest {

    private static final Path ROOT = TestFolders.create("slow-body-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int THREADS = 4;

    /** Grace, plus a byte's interval, plus room for a busy machine; without the floor nothing comes for ever. */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(6);

    private final HttpClient http = HttpClient.newHttpClient();

    /** Every slow client a test started, stopped after it whatever the outcome, so none trickles into the next. */
    private final List<SlowClient> started = new ArrayList<>();

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.limits.min-upload-rate", () -> "1KB");
        registry.add("image-processor.limits.min-upload-rate-grace", () -> "1s");
        registry.add("server.tomcat.threads.max", () -> Integer.toString(THREADS));
        registry.add("server.tomcat.threads.min-spare", () -> "1");
    }

    @AfterEach
    void stopClients() throws IOException {
        for (SlowClient client : started) {
            client.socket.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT /images/slow-put.jpg", "POST /images", "POST /uploads", "PUT local upload URL",
            "POST /processImage" })
    void aBodyTricklingBelowTheFloorIsA408ProblemOnEveryRouteAndStoresNothing(String route, CapturedOutput output)
            throws Exception {
        Set<Path> before = files();
        int logged = output.getOut().length();
        String head = head(route);

        long start = System.nanoTime();
        SlowClient slow = start(head);
        String response = slow.response();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response).as(route).startsWith("HTTP/1.1 408");
        assertThat(took).as(route + ": answered after").isLessThan(ANSWERED_WITHIN);
        assertThat(response).containsIgnoringCase("Connection: close");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode problem = JSON.readTree(response.substring(response.indexOf('{'), response.lastIndexOf('}') + 1));
        assertThat(problem.get("status").asInt()).isEqualTo(408);
        assertThat(problem.get("title").asString()).isEqualTo("Request Timeout");
        assertThat(problem.get("detail").asString()).as(route)
            .startsWith("The request body arrived at ")
            .contains("below the server's minimum of 1024 bytes per second (image-processor.limits.min-upload-rate)");
        assertThat(slow.closedWhileSending()).as(route + ": the server closed the connection, not the client")
            .isTrue();
        assertThat(files()).as(route + ": stored or recorded").isEqualTo(before);
        String log = output.getOut().substring(logged);
        assertThat(log.lines().filter(line -> line.contains(" WARN ")).toList()).as(route)
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("408 " + head.substring(0, head.indexOf('?') > 0 ? head.indexOf('?') : head.indexOf(" HTTP")))
            .contains("from 127.0.0.1: The request body arrived at ");
        assertThat(log).as("no stack trace").doesNotContain("\tat ");
    }

    @Test
    void slowBodiesHoldingEveryThreadAreCutAndTheThreadsServeOtherRequestsAgain() throws Exception {
        List<SlowClient> slow = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            slow.add(start(head("PUT /images/hold-" + i + ".jpg")));
        }
        // each holds a thread from its headers on; the request below waits for one of them
        Thread.sleep(300);

        long start = System.nanoTime();
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/images?limit=1"))
            .timeout(Duration.ofSeconds(15))
            .build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(took).isLessThan(ANSWERED_WITHIN);
        for (SlowClient client : slow) {
            assertThat(client.response()).startsWith("HTTP/1.1 408");
            assertThat(client.closedWhileSending()).isTrue();
        }
        // and none is kept reading the rest of its body: every thread takes a request at once
        List<HttpResponse<String>> more = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS; i++) {
            more.add(http.send(HttpRequest.newBuilder(uri("/images?limit=1")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(more).allMatch(response -> response.statusCode() == 200);
    }

    /** So that a body that stops arriving holds its thread 20 s at most, where Spring Boot's default is 60 s. */
    @Test
    void tomcatWaitsTwentySecondsForARead() {
        assertThat(((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProperty("connectionTimeout"))
            .isEqualTo(20_000);
    }

    @Test
    void aBodyAtANormalPaceIsTaken() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/images/normal.jpg"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/normal.jpg")).hasBinaryContent(photo);
    }

    /** 17 KB at about 8 KB a second, so past the grace period, at eight times the floor. */
    @Test
    void aBodySlowButAboveTheFloorIsTaken() throws Exception {
        byte[] photo = TestImages.bytes("edge-sizes/wide-284x25.jpg");
        String response;
        long start = System.nanoTime();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /images/slow-enough.jpg HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n"
                    + "Content-Length: " + photo.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < photo.length; sent += 400) {
                out.write(photo, sent, Math.min(400, photo.length - sent));
                out.flush();
                Thread.sleep(50);
            }
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("longer than the grace period")
            .isGreaterThan(Duration.ofSeconds(1));
        assertThat(response).startsWith("HTTP/1.1 201");
        assertThat(ROOT.resolve("uploads/slow-enough.jpg")).hasBinaryContent(photo);
    }

    /** The request line and headers of a route's request, announcing a body far longer than the test sends. */
    private String head(String route) throws Exception {
        String json = "Content-Type: application/json\r\nContent-Length: 5000\r\n";
        return switch (route) {
            case "POST /images" -> "POST /images HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                    + "Content-Length: 100000\r\n";
            case "POST /uploads" -> "POST /uploads HTTP/1.1\r\n" + json;
            case "POST /processImage" -> "POST /processImage HTTP/1.1\r\n" + json;
            case "PUT local upload URL" -> {
                HttpResponse<String> granted = http.send(HttpRequest.newBuilder(uri("/uploads"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"fileName\": \"slow.jpg\", \"contentType\": \"image/jpeg\", \"contentLength\": 100000}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
                URI url = URI.create(JSON.readTree(granted.body()).get("url").asString());
                yield "PUT " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\n"
                        + "Content-Type: image/jpeg\r\nContent-Length: 100000\r\n";
            }
            default -> route + " HTTP/1.1\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n";
        } + "Host: localhost\r\n\r\n";
    }

    private SlowClient start(String head) throws IOException {
        SlowClient client = SlowClient.start(port, head);
        started.add(client);
        return client;
    }

    private static Set<Path> files() throws IOException {
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A client that sends its headers at once, then its body a byte every 100 ms until the server closes. */
    private static final class SlowClient {

        private final Socket socket;

        private final AtomicBoolean sending = new AtomicBoolean(true);

        private SlowClient(Socket socket) {
            this.socket = socket;
        }

        static SlowClient start(int port, String head) throws IOException {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout((int) ANSWERED_WITHIN.toMillis() + 2000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            SlowClient client = new SlowClient(socket);
            Thread.ofVirtual().start(client::trickle);
            return client;
        }

        private void trickle() {
            try {
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            }
            catch (IOException | InterruptedException e) {
                // the server closed the connection (or the test did)
            }
            finally {
                sending.set(false);
            }
        }

        /** The whole response, up to the server's closing of the connection. */
        String response() throws IOException {
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (SocketTimeoutException e) {
                throw new AssertionError("no response, or the connection was kept open, after "
                        + socket.getSoTimeout() + " ms", e);
            }
        }

        /** Whether the connection ended while this client still had body to send: the server ended it. */
        boolean closedWhileSending() throws IOException, InterruptedException {
            // a write after the server's close fails within a write or two
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (sending.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            boolean ended = !sending.get();
            socket.close();
            return ended;
        }
    }
}
