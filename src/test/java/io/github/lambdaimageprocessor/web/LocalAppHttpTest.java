package io.github.lambdaimageprocessor.web;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole app on a random port with its default (local) runtime: the README's curl commands, as tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class LocalAppHttpTest {

    private static final Path ROOT = TestFolders.create("local-app-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.limits.max-upload-size", () -> "1MB");
        // looks again after 0.25, 0.5 and 1 s for a delivery at work, then fails
        registry.add("image-processor.in-progress-wait", () -> "2s");
    }


    @Autowired
    WebServerApplicationContext context;

    @Autowired
    ImageStore store;

    @Autowired
    MetadataRepository metadata;

    /** An Accept header that does not parse is as good as none: it got a 406 with no body, even for a problem. */
    @Test
    void anAcceptHeaderThatDoesNotParseIsTakenAsNone() throws Exception {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(uri("/images?limit=1")).header("Accept", ";;;")
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri("/images/no-such-photo.jpg"))
            .header("Accept", "text/html;q=x,,;")
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains("\"items\"");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(missing.body()).contains("No record for");
    }

    @Test
    void listensOnTheLoopbackInterfaceOnlyByDefault() throws Exception {
        // the connector is bound to 127.0.0.1, not to every interface
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        assertThat(server.getTomcat().getConnector().getProperty("address"))
            .isEqualTo(InetAddress.getByName("127.0.0.1"));

        // so it answers there, and on none of this machine's other addresses
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
        for (InetAddress other : nonLoopbackAddresses()) {
            assertThatExceptionOfType(ConnectException.class).as(other.toString()).isThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other, port), 2000);
                }
            });
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces()
            .filter(network -> {
                try {
                    return network.isUp() && !network.isLoopback();
                }
                catch (SocketException e) {
                    return false;
                }
            })
            .flatMap(NetworkInterface::inetAddresses)
            .filter(address -> !address.isLinkLocalAddress())
            .toList();
    }

    @Test
    void uploadTurnsARealPhotoIntoAThumbnailAndServesItsRecordAndBytes() throws Exception {
        HttpResponse<String> created = upload(TestImages.bytes(TestImages.CAMERA_PHOTO), "camera.jpg", null);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/images/camera.jpg");
        JsonNode result = JSON.readTree(created.body());
        assertThat(result.get("status").asString()).isEqualTo("PROCESSED");
        assertThat(result.at("/source/width").asInt()).isEqualTo(800);
        assertThat(result.at("/output/width").asInt()).isEqualTo(256);
        assertThat(result.at("/output/height").asInt()).isEqualTo(192);
        assertThat(result.get("processedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        HttpResponse<byte[]> thumbnail = http.send(get("/thumbnails/camera.jpg"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(TestImages.decode(thumbnail.body()).getWidth()).isEqualTo(256);

        HttpResponse<String> record = http.send(get("/images/camera.jpg"), HttpResponse.BodyHandlers.ofString());
        assertThat(record.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(record.body())).isEqualTo(result);
        assertThat(ROOT.resolve("uploads/camera.jpg")).exists();
        assertThat(ROOT.resolve("processed/thumbnails/camera.jpg")).exists();
    }

    @Test
    void uploadTakesAnExplicitKeyWithSlashesAndSpaces() throws Exception {
        HttpResponse<String> created = upload(TestImages.bytes(TestImages.SMALL), "x.jpg", "albums/summer 2026/a+b.jpg");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).at("/output/key").asString())
            .isEqualTo("thumbnails/albums/summer 2026/a+b.jpg");
        HttpResponse<String> record = http.send(get("/images/albums/summer%202026/a+b.jpg"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(record.statusCode()).isEqualTo(200);
    }

    @Test
    void uploadOfSomethingThatIsNotAJpegIsA422ProblemWithTheRejectedResult() throws Exception {
        HttpResponse<String> response = upload(TestImages.bytes("not-jpeg/plain-text.jpg"), "notes.jpg", null);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("detail").asString()).isEqualTo("not a JPEG: content is text");
        assertThat(problem.at("/result/status").asString()).isEqualTo("REJECTED");
        HttpResponse<String> record = http.send(get("/images/notes.jpg"), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(record.body()).get("status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void uploadOverTheSizeLimitIsA413Problem() throws Exception {
        HttpResponse<String> response = upload(TestImages.bytes("edge-sizes/wide-phone-4608x1976.jpg"), "big.jpg",
                null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .isEqualTo("The upload is over the limit of 1048576 bytes (image-processor.limits.max-upload-size)");
    }

    @Test
    void aFormThatIsNoMultipartFormIsA400ProblemNotAServerError() throws Exception {
        HttpResponse<String> noBoundary = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data")
            .POST(HttpRequest.BodyPublishers.ofString("hello"))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> cutShort = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=xyz")
            .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"a.jpg\"\r\n\r\nabc"))
            .build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(noBoundary, cutShort)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                .startsWith("The multipart form could not be read: ");
        }
    }

    @Test
    void aFormOfMorePartsThanTheServerTakesIsA413SayingSo() throws Exception {
        String boundary = "b" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"f").append(i)
                .append("\"\r\n\r\nx\r\n");
        }
        body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; ")
            .append("filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nx\r\n--").append(boundary).append("--\r\n");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .startsWith("The form has more parts than the server takes");
    }

    @Test
    void aFileNameLongerThanThePartHeadersTheServerTakesIsA413SayingSoNotTheUploadLimit() throws Exception {
        // 170 characters of three UTF-8 bytes each: over Tomcat's 512 bytes of part headers, for a file of 1 byte
        String name = "\u5199".repeat(170) + ".jpg";
        String boundary = "b" + UUID.randomUUID();
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: image/jpeg\r\n\r\nx\r\n--" + boundary + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .startsWith("A part of the form has headers longer than the 512 bytes the server takes")
            .doesNotContain("max-upload-size");
    }

    @Test
    void aPutBodyIsTheRoutesOwnWhateverItsContentTypeSays() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.CAMERA_PHOTO);
        assertThat(new String(photo, StandardCharsets.ISO_8859_1)).contains("%");

        // curl --data-binary sends application/x-www-form-urlencoded unless told otherwise
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images/form-typed.jpg"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/form-typed.jpg")).hasBinaryContent(photo);
    }

    @ParameterizedTest
    @ValueSource(strings = { "multipart/form-data; boundary=b", "multipart/form-data", "multipart/mixed; boundary=b" })
    void aPutBodyTypedAsAFormIsStillTheFileNotParsedAsOne(String contentType) throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        String key = "multipart-typed-" + UUID.randomUUID() + ".jpg";

        // the form parser read the body first: "The body ended before the N bytes its Content-Length announced"
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images/" + key))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/" + key)).hasBinaryContent(photo);
    }

    @Test
    void aPutKeyWithASemicolonIsRefusedRatherThanCutShort() throws Exception {
        HttpResponse<String> response = put("/images/semi;colon=1.jpg",
                HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)));
        HttpResponse<String> encoded = put("/images/semi%3Bcolon.jpg",
                HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("%3B");
        assertThat(ROOT.resolve("uploads/semi")).doesNotExist();
        assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(201);
        assertThat(ROOT.resolve("uploads/semi;colon.jpg")).exists();
    }

    @Test
    void theLocationOfAKeyWithASemicolonNamesThatKeyNotTheKeyBeforeIt() throws Exception {
        HttpResponse<String> put = put("/images/loc%3Bsemi.jpg",
                HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)));
        HttpResponse<String> posted = upload(TestImages.bytes(TestImages.SMALL), "x.jpg", "loc;posted.jpg");

        for (HttpResponse<String> created : List.of(put, posted)) {
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            // a raw ';' starts path parameters, which the server cuts off: GET would name the key "loc"
            assertThat(location).doesNotContain(";");
            HttpResponse<String> record = http.send(get(location), HttpResponse.BodyHandlers.ofString());
            assertThat(record.statusCode()).as(location).isEqualTo(200);
            assertThat(JSON.readTree(record.body()).at("/source/key").asString())
                .isEqualTo(JSON.readTree(created.body()).at("/source/key").asString());
        }
    }

    @Test
    void aGetWithARawSemicolonIsRefusedRatherThanAnsweredForTheKeyBeforeIt() throws Exception {
        assertThat(put("/images/before.jpg", HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(
                TestImages.SMALL))).statusCode()).isEqualTo(201);

        for (String path : List.of("/images/before.jpg;after.jpg", "/thumbnails/before.jpg;after.jpg")) {
            HttpResponse<String> response = http.send(get(path), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("%3B");
        }
    }

    @Test
    void aKeyLongerThanS3TakesIsA400ProblemThatDoesNotEchoIt() throws Exception {
        String key = "k/".repeat(20_000) + "k.jpg";

        HttpResponse<String> response = upload(TestImages.bytes(TestImages.SMALL), "x.jpg", key);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).hasSizeLessThan(1000);
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .endsWith("(40005 bytes) is longer than S3's limit of 1024 bytes");
        assertThat(ROOT.resolve("uploads/k")).doesNotExist();
    }

    @Test
    void anUploadAfterAHandMadeEventWithAnyHighSequencerIsStillTheLaterVersion() throws Exception {
        Files.createDirectories(ROOT.resolve("uploads/photos"));
        Files.write(ROOT.resolve("uploads/photos/resequenced.jpg"), TestImages.bytes(TestImages.PHOTO));
        String event = Files.readString(Path.of("events/s3-put.json"))
            .replace("my+photo%281%29.jpg", "resequenced.jpg");
        assertThat(event).contains("\"sequencer\": \"0A1B2C3D4E5F678901\"");
        assertThat(postEvent(event, "application/json").statusCode()).isEqualTo(200);
        byte[] camera = TestImages.bytes(TestImages.CAMERA_PHOTO);

        HttpResponse<String> response = put("/images/photos/resequenced.jpg",
                HttpRequest.BodyPublishers.ofByteArray(camera));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode record = JSON.readTree(http.send(get("/images/photos/resequenced.jpg"),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(record.at("/source/width").asInt()).as("the uploaded camera photo's").isEqualTo(800);
        assertThat(record.at("/event/version/sequencer").asString()).isEqualTo("A1B2C3D4E5F678902");
    }

    @Test
    void aFormNamingTheKeyOrTheFileTwiceIsA400ProblemNotAKeyNoOneSent() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);

        // Spring joins a parameter given twice with a comma ("twice-a.jpg,twice-b.jpg"), and takes the first of two
        // files and drops the other
        HttpResponse<String> twoKeys = form("/images", List.of(java.util.Map.entry("key", "twice-a.jpg".getBytes()),
                java.util.Map.entry("key", "twice-b.jpg".getBytes()), java.util.Map.entry("file", photo)));
        HttpResponse<String> queryAndForm = form("/images?key=twice-c.jpg", List.of(
                java.util.Map.entry("key", "twice-d.jpg".getBytes()), java.util.Map.entry("file", photo)));
        HttpResponse<String> twoFiles = form("/images", List.of(java.util.Map.entry("key", "twice-e.jpg".getBytes()),
                java.util.Map.entry("file", photo), java.util.Map.entry("file", photo)));

        for (HttpResponse<String> response : List.of(twoKeys, queryAndForm, twoFiles)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        try (var stored = Files.list(ROOT.resolve("uploads"))) {
            assertThat(stored.map(file -> file.getFileName().toString())).noneMatch(name -> name.startsWith("twice"));
        }
        // a key with a comma in it is still one key
        HttpResponse<String> comma = upload(photo, "x.jpg", "twice,once.jpg");
        assertThat(comma.statusCode()).as(comma.body()).isEqualTo(201);
    }

    /** A multipart form of the fields in order; a field named "file" is sent as a file. */
    private HttpResponse<String> form(String path, List<java.util.Map.Entry<String, byte[]>> fields) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        var body = new java.io.ByteArrayOutputStream();
        for (var field : fields) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\""
                    + ("file".equals(field.getKey()) ? "; filename=\"x.jpg\"\r\nContent-Type: image/jpeg" : "")
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(field.getValue());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A key of bytes that are not UTF-8 (Latin-1 "café") was stored as "caf\uFFFD.jpg": a key nobody wrote. */
    @Test
    void aFormKeyThatIsNotUtf8IsA400Problem() throws Exception {
        byte[] latin1 = "latin1-café.jpg".getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = form("/images", List.of(java.util.Map.entry("key", latin1),
                java.util.Map.entry("file", TestImages.bytes(TestImages.SMALL))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .isEqualTo("The key is not valid UTF-8: send it encoded as UTF-8, as browsers and curl do");
        try (var stored = Files.list(ROOT.resolve("uploads"))) {
            assertThat(stored.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("latin1-"));
        }
    }

    @Test
    void uploadWithAKeyThatWouldEscapeTheRootIsA400Problem() throws Exception {
        HttpResponse<String> response = upload(TestImages.bytes(TestImages.SMALL), "x.jpg", "../../escape.jpg");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("../../escape.jpg");
        assertThat(ROOT.getParent().resolve("escape.jpg")).doesNotExist();
    }

    @Test
    void uploadWithoutAFilePartIsA400Problem() throws Exception {
        String boundary = "b" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nx.jpg\r\n--" + boundary
                + "--\r\n";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void putStoresTheBodyAtTheKeyOfThePathAndProcessesItLikeAnUpload() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.CAMERA_PHOTO);

        HttpResponse<String> created = put("/images/albums/put%20me.jpg", HttpRequest.BodyPublishers.ofByteArray(photo));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/images/albums/put%20me.jpg");
        JsonNode result = JSON.readTree(created.body());
        assertThat(result.get("status").asString()).isEqualTo("PROCESSED");
        assertThat(result.at("/output/key").asString()).isEqualTo("thumbnails/albums/put me.jpg");
        assertThat(result.at("/output/width").asInt()).isEqualTo(256);
        assertThat(ROOT.resolve("uploads/albums/put me.jpg")).hasBinaryContent(photo);
        HttpResponse<String> record = http.send(get("/images/albums/put%20me.jpg"), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(record.body())).isEqualTo(result);
    }

    @Test
    void putOfSomethingThatIsNotAJpegIsA422ProblemWithTheRejectedResult() throws Exception {
        HttpResponse<String> response = put("/images/put-notes.jpg",
                HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes("not-jpeg/plain-text.jpg")));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).isEqualTo("not a JPEG: content is text");
    }

    @Test
    void aKeyWhoseLatestUploadWasRejectedServesNoThumbnailOfTheUploadBefore() throws Exception {
        assertThat(put("/images/replaced.jpg", HttpRequest.BodyPublishers.ofByteArray(
                TestImages.bytes(TestImages.CAMERA_PHOTO))).statusCode()).isEqualTo(201);
        assertThat(http.send(get("/thumbnails/replaced.jpg"), HttpResponse.BodyHandlers.ofByteArray()).statusCode())
            .isEqualTo(200);

        HttpResponse<String> rejected = put("/images/replaced.jpg", HttpRequest.BodyPublishers.ofByteArray(
                TestImages.bytes("not-jpeg/plain-text.jpg")));
        HttpResponse<String> again = put("/images/replaced.jpg", HttpRequest.BodyPublishers.ofByteArray(
                TestImages.bytes("not-jpeg/plain-text.jpg")));

        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(rejected.body()).at("/result/status").asString()).isEqualTo("REJECTED");
        // the earlier photo's thumbnail is gone from the folder, not only no longer served; the same file again is a
        // new upload, rejected as well, with nothing left to remove
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(ROOT.resolve("processed/thumbnails/replaced.jpg")).doesNotExist();
        assertThat(store.read(new ObjectRef("processed", "thumbnails/replaced.jpg"))).isEmpty();
        HttpResponse<String> thumbnail = http.send(get("/thumbnails/replaced.jpg"), HttpResponse.BodyHandlers.ofString());
        assertThat(thumbnail.statusCode()).isEqualTo(404);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void putOverTheSizeLimitIsA413ProblemWhetherTheLengthIsDeclaredOrNot() throws Exception {
        byte[] big = TestImages.bytes("edge-sizes/wide-phone-4608x1976.jpg");
        assertThat(big.length).isGreaterThan(1_000_000);

        HttpResponse<String> declared = put("/images/put-big.jpg", HttpRequest.BodyPublishers.ofByteArray(big));
        // an InputStream publisher sends the body chunked, without a Content-Length
        HttpResponse<String> chunked = put("/images/put-big.jpg",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));

        for (HttpResponse<String> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                .contains("over the limit of 1048576 bytes");
        }
        assertThat(ROOT.resolve("uploads/put-big.jpg")).doesNotExist();
    }

    @Test
    void putWhoseBodyEndsBeforeItsContentLengthIsA400AndStoresNothing(CapturedOutput output) throws Exception {
        int logged = output.getOut().length();
        String response;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /images/put-short.jpg HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: image/jpeg\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[100]);
            socket.shutdownOutput();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        // Tomcat sets the 400 when the read fails, before the controller learns of it, and forwards to /error
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode problem = JSON.readTree(response.substring(response.indexOf('{'), response.lastIndexOf('}') + 1));
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("detail").asString()).contains("body ended before its Content-Length");
        assertThat(problem.get("instance").asString()).isEqualTo("/images/put-short.jpg");
        assertThat(ROOT.resolve("uploads/put-short.jpg")).doesNotExist();
        assertThat(output.getOut().substring(logged)).as("no warning logged for the client's broken upload")
            .doesNotContain(" WARN ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "zz\r\nabc\r\n0\r\n\r\n", "100\r\nabc" })
    void aPutWhoseChunkedBodyIsMalformedOrCutShortIsA400LoggedWithoutAWarning(String chunks, CapturedOutput output)
            throws Exception {
        int logged = output.getOut().length();
        String response;
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /images/chunked-broken.jpg HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
                .getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(ROOT.resolve("uploads/chunked-broken.jpg")).doesNotExist();
        assertThat(output.getOut().substring(logged)).as("no warning logged for the client's broken upload")
            .doesNotContain(" WARN ");
    }

    @Test
    void theErrorPathAskedForDirectlyIsA404Problem() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/error"))
            .header("Accept", "text/html")
            .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).isEqualTo("No such resource");
    }

    @Test
    void putWithoutAKeyOrWithOneAFileCannotHoldIsA400Problem() throws Exception {
        HttpResponse<String> noKey = put("/images", HttpRequest.BodyPublishers.ofByteArray(new byte[] { 1 }));
        HttpResponse<String> folder = put("/images/a/folder/",
                HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)));

        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noKey.body()).get("detail").asString()).contains("PUT /images/photos/cat.jpg");
        assertThat(folder.statusCode()).as(folder.body()).isEqualTo(400);
        assertThat(JSON.readTree(folder.body()).get("detail").asString()).contains("a/folder/");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/images/a%2Fb.jpg", "/thumbnails/..%2F..%2Fetc%2Fpasswd", "/images/a%5Cb.jpg",
            "/images/nul%00.jpg" })
    void pathsTomcatRefusesBeforeTheApplicationAre400ProblemsToo(String path) throws Exception {
        HttpResponse<String> response = http.send(get(path), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
        assertThat(problem.get("detail").asString()).contains("before the application saw it");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/images?cursor=%FF", "/images?limit=%C0%AF" })
    void aQueryStringThatIsNotUtf8IsA400ProblemWithoutAStackTraceAtError(String path, CapturedOutput output)
            throws Exception {
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(get(path), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("UTF-8");
        assertThat(output.getOut().substring(logged)).as("the client's mistake, not the server's")
            .doesNotContain("ERROR")
            .doesNotContain("InvalidParameterException");
    }

    @Test
    void unknownImagesAre404Problems() throws Exception {
        assertThat(http.send(get("/images/never-uploaded.jpg"), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(404);
        HttpResponse<String> thumbnail = http.send(get("/thumbnails/never-uploaded.jpg"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(thumbnail.statusCode()).isEqualTo(404);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void processImageRunsTheFunctionOnTheSampleEvent() throws Exception {
        Files.createDirectories(ROOT.resolve("uploads/photos"));
        Files.write(ROOT.resolve("uploads/photos/my photo(1).jpg"), TestImages.bytes(TestImages.PHOTO));

        HttpResponse<String> response = postEvent(Files.readString(Path.of("events/s3-put.json")),
                "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body());
        assertThat(results.isArray()).isTrue();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("status").asString()).isEqualTo("PROCESSED");
        assertThat(results.get(0).at("/source/key").asString()).isEqualTo("photos/my photo(1).jpg");
        assertThat(results.get(0).at("/output/height").asInt()).isEqualTo(209);
        assertThat(ROOT.resolve("processed/thumbnails/photos/my photo(1).jpg")).exists();
    }

    @Test
    void processImageReportsEveryRecordOfAMixedEventInOrder() throws Exception {
        Files.createDirectories(ROOT.resolve("uploads/mixed"));
        Files.write(ROOT.resolve("uploads/mixed/ok.jpg"), TestImages.bytes(TestImages.SMALL));
        Files.write(ROOT.resolve("uploads/mixed/text.jpg"), TestImages.bytes("not-jpeg/plain-text.jpg"));
        Files.write(ROOT.resolve("uploads/mixed/empty.jpg"), new byte[0]);
        Files.write(ROOT.resolve("uploads/mixed/truncated.jpg"),
                TestImages.bytes("malformed/truncated-10000-of-2725x2225.jpg"));
        String event = "{\"Records\":[" + String.join(",", record("mixed/ok.jpg"), record("mixed/text.jpg"),
                record("mixed/empty.jpg"), record("mixed/missing.jpg"), record("mixed/..%2F..%2Fescape.jpg"))
                + "]}";

        HttpResponse<String> response = postEvent(event, "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body());
        assertThat(results.findValuesAsString("status"))
            .containsExactly("PROCESSED", "REJECTED", "REJECTED", "SKIPPED", "REJECTED");
        assertThat(results.get(1).get("reason").asString()).isEqualTo("not a JPEG: content is text");
        assertThat(results.get(2).get("reason").asString()).isEqualTo("not a JPEG: content is empty file");
        assertThat(results.get(4).get("reason").asString()).contains("cannot be stored locally");
    }

    @Test
    void processImageWithoutAJsonContentTypeIsA415ProblemNotASilentEmptyList() throws Exception {
        HttpResponse<String> response = postEvent(Files.readString(Path.of("events/s3-put.json")), "text/plain");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("Content-Type: application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = { "*/*", "application/*", "application/*+json", "application/json; charset=utf-16",
            "application/json; charset=iso-8859-1" })
    void functionRoutesRefuseAWildcardTypeOrACharsetOtherThanUtf8With415(String contentType, CapturedOutput output)
            throws Exception {
        int logged = output.getOut().length();
        for (String path : List.of("/processImage", "/backfillImages")) {
            String body = Files.readString(Path.of(path.equals("/processImage") ? "events/s3-put.json"
                    : "events/batch/s3-batch-2.0.json"));

            // the function fails these with a 500 (a wildcard; a UTF-8 body decoded as UTF-16), or garbles the keys
            HttpResponse<String> response = postEvent(path, body, contentType);

            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("JSON in UTF-8");
        }
        assertThat(output.getOut().substring(logged)).as("no stack trace logged").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "APPLICATION/JSON", "application/vnd.example+json" })
    void functionRoutesTakeJsonInUtf8HoweverItsTypeIsSpelt(String contentType) throws Exception {
        HttpResponse<String> response = postEvent("/processImage",
                "{\"Records\":[" + record("never-uploaded-" + UUID.randomUUID() + ".jpg") + "]}", contentType);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void processImageWithJsonThatIsNotAnS3EventIsA400Problem() throws Exception {
        for (String body : new String[] { "{}", "[]", "{\"Records\":[]}", "{\"Records\":[1]}", "{\"Records\":[{\"s3\":{}}]}", "not json", "" }) {
            HttpResponse<String> response = postEvent(body, "application/json");

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body).contains("application/problem+json");
        }
    }

    @Test
    void everyPathSpringCloudFunctionServesTheFunctionAtIsGuardedToo() throws Exception {
        for (String path : new String[] { "/processImage/", "/processImage;x=1" }) {
            HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> notAnEvent = http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1]"))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(notJson.statusCode()).as(path).isEqualTo(415);
            assertThat(notAnEvent.statusCode()).as(path).isEqualTo(400);
            assertThat(notAnEvent.headers().firstValue("Content-Type")).as(path).contains("application/problem+json");
        }
    }

    @Test
    void processImageRefusesRecordsTheEventParserWouldChokeOn() throws Exception {
        String badTime = "{\"Records\":[{\"eventTime\":\"not-a-time\",\"s3\":{\"bucket\":{\"name\":\"uploads\"},"
                + "\"object\":{\"key\":\"a.jpg\"}}}]}";
        String noObject = "{\"Records\":[{\"eventTime\":\"2026-11-26T00:00:00.000Z\",\"s3\":{}}]}";

        for (String body : new String[] { badTime, noObject }) {
            HttpResponse<String> response = postEvent(body, "application/json");

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString()).as(body)
                .startsWith("The body is not an S3 event");
        }
    }

    @Test
    void processImageRefusesJsonTheEventParserReadsOtherwiseAndTakesAByteOrderMark() throws Exception {
        String event = "{\"Records\":[" + record("never-uploaded.jpg") + "]}";
        String twice = "{\"Records\":[],\"Records\":[" + record("never-uploaded.jpg") + "]}";
        String keyTwice = "{\"Records\":[" + record("never-uploaded.jpg").replace("\"key\"", "\"key\":\"a.jpg\",\"key\"")
                + "]}";

        // the check read these as one event and the function's parser as another, or as none: a 500 and an ERROR
        for (byte[] body : new byte[][] { twice.getBytes(StandardCharsets.UTF_8),
                keyTwice.getBytes(StandardCharsets.UTF_8), event.getBytes(StandardCharsets.UTF_16LE),
                event.getBytes(StandardCharsets.UTF_16) }) {
            HttpResponse<String> response = postEvent(body);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(JSON.readTree(postEvent(twice.getBytes(StandardCharsets.UTF_8)).body()).get("detail").asString())
            .contains("Records");
        assertThat(JSON.readTree(postEvent(event.getBytes(StandardCharsets.UTF_16LE)).body()).get("detail").asString())
            .contains("UTF-8");

        // RFC 8259 lets a parser ignore a UTF-8 byte order mark, as the check does: so does the function now
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        byte[] withBom = java.util.Arrays.copyOf(bom, bom.length + event.getBytes(StandardCharsets.UTF_8).length);
        System.arraycopy(event.getBytes(StandardCharsets.UTF_8), 0, withBom, bom.length,
                event.getBytes(StandardCharsets.UTF_8).length);
        HttpResponse<String> marked = postEvent(withBom);
        assertThat(marked.statusCode()).as(marked.body()).isEqualTo(200);
        assertThat(JSON.readTree(marked.body()).at("/0/reason").asString()).isEqualTo("object no longer exists");
    }

    private HttpResponse<String> postEvent(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/processImage"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The version of the event {@link #redeliver} posts. */
    private static final ObjectVersion CLAIMED_VERSION = new ObjectVersion(null, "e1", "0A");

    /** The record another delivery of {@link #CLAIMED_VERSION} claimed a moment ago, its notification outstanding. */
    private ObjectRef claimedByAnotherDelivery(String key) {
        ObjectRef source = new ObjectRef("uploads", key);
        store.write(source, TestImages.bytes(TestImages.SMALL), "image/jpeg", java.util.Map.of());
        metadata.save(ProcessedImage.processed(ImageObject.unread(source),
                ImageObject.unread(new ObjectRef("processed", "thumbnails/" + key)), java.time.Instant.now())
            .withEvent(new EventInfo(CLAIMED_VERSION, "req-first")));
        return source;
    }

    /** Posts the event of {@link #CLAIMED_VERSION} of {@code key} again. */
    private HttpResponse<String> redeliver(String key) throws Exception {
        return postEvent("""
                {"Records":[{"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                 "s3":{"bucket":{"name":"uploads"},"object":{"key":"%s","eTag":"e1","sequencer":"0A"}}}]}"""
            .formatted(key), "application/json");
    }

    @Test
    void anEventWhoseVersionAnotherDeliveryIsStillWorkingOnIsA409ThatSaysWhenToRetry() throws Exception {
        ObjectRef source = claimedByAnotherDelivery("in-progress.jpg");

        HttpResponse<String> response = redeliver("in-progress.jpg");

        // then it is told to come back, not a server error, and nothing was notified twice
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 90L);
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .startsWith("a concurrent delivery of this version claimed it");
        assertThat(metadata.find(source).orElseThrow().notifiedAt()).isNull();
    }

    @Test
    void anEventWhoseVersionAnotherDeliveryIsFinishingWaitsForItAndIsSkipped() throws Exception {
        ObjectRef source = claimedByAnotherDelivery("finishing.jpg");
        // the other delivery notifies half a second later
        java.util.concurrent.CompletableFuture<Void> otherDelivery = java.util.concurrent.CompletableFuture.runAsync(
                () -> metadata.markNotified(source, CLAIMED_VERSION, java.time.Instant.now()),
                java.util.concurrent.CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS));

        HttpResponse<String> response = redeliver("finishing.jpg");

        // then it waited for the other delivery and did nothing twice
        otherDelivery.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body()).get(0);
        assertThat(result.get("status").asString()).isEqualTo("SKIPPED");
        assertThat(result.get("reason").asString()).startsWith("already processed");
    }

    @Test
    void processImageAnswersGetWith405() throws Exception {
        HttpResponse<String> response = http.send(get("/processImage"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({ "GET, /no/such/page, 404", "GET, /favicon.ico, 404", "POST, /no/such/function, 404",
            "DELETE, /images/photo.jpg, 405", "PUT, /processImage, 405", "PATCH, /images/photo.jpg, 405",
            "DELETE, /app.js, 405", "PUT, /, 405",
            // no route of the app's either (a trailing slash, or below a route that has no paths below it): Spring
            // Cloud Function's catch-alls would run the function on them, or the bean the first segment names
            "GET, /app.js/, 404", "GET, /index.html/, 404", "GET, //, 404", "GET, /uploads/, 404",
            "POST, /uploads/photo.jpg, 404", "PUT, /uploads/photo.jpg, 404", "GET, /error/, 404" })
    void unknownPathsAndMethodsAreProblemsNotServerErrors(String method, String path, int status,
            CapturedOutput output) throws Exception {
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(status);
        assertThat(output.getOut().substring(logged)).as("no stack trace logged").doesNotContain("Exception");
        assertThat(output.getOut().substring(logged)).as("no warning logged for the client's mistake")
            .doesNotContain(" WARN ");
    }

    @Test
    void thePageAnswersOptionsWithTheMethodsItTakes() throws Exception {
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(uri("/"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(uri("/app.js"))
            .method("DELETE", HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(script.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void aPostToThePageIsItsMethodNotAllowedWhateverTheBodyNotTheFunction() throws Exception {
        // PageController's GET / takes the path before Spring Cloud Function's root route: a real event posted to /
        // is not processed, so / must not answer as the function does (415 and 400 that point at /processImage)
        String event = Files.readString(Path.of("events/s3-put.json"));
        for (String[] body : new String[][] { { event, "application/json" }, { "[1]", "application/json" },
                { "hello", "text/plain" } }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/"))
                .header("Content-Type", body[1])
                .POST(HttpRequest.BodyPublishers.ofString(body[0]))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(body[0]).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).as(body[0]).contains("GET, HEAD");
            assertThat(response.headers().firstValue("Content-Type")).as(body[0]).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asString()).as(body[0])
                .isEqualTo("The upload page is read with GET /, not POST.");
        }
    }

    @Test
    void theFunctionRoutesAnswerOptionsWithTheMethodTheyTake() throws Exception {
        for (String path : List.of("/processImage", "/backfillImages")) {
            HttpResponse<String> options = http.send(HttpRequest.newBuilder(uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(options.statusCode()).as(path).isEqualTo(200);
            assertThat(options.headers().firstValue("Allow")).as(path).contains("POST");
        }
    }

    private static String record(String encodedKey) {
        return """
                {"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"uploads"},
                 "object":{"key":"%s"}}}""".formatted(encodedKey);
    }

    private HttpResponse<String> postEvent(String body, String contentType) throws Exception {
        return postEvent("/processImage", body, contentType);
    }

    private HttpResponse<String> postEvent(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(byte[] content, String filename, String key) throws Exception {
        String boundary = "b" + UUID.randomUUID();
        var body = new java.io.ByteArrayOutputStream();
        if (key != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + key + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/images"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "image/jpeg").PUT(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
