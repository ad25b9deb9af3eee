package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.TestFolders;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.api.ImageApi;
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
 * Browser uploads on the local runtime, over real HTTP: ask for an upload URL, PUT the photo there, poll its record,
 * fetch its thumbnail, list recent uploads; and everything that must be refused, with nothing stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrowserUploadHttpTest {

    private static final Path ROOT = TestFolders.create("browser-upload-test");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("image-processor.local.root", ROOT::toString);
        registry.add("image-processor.limits.max-upload-size", () -> "2MB");
    }


    @Test
    void aGrantedUploadIsStoredProcessedListedAndItsThumbnailServed() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.CAMERA_PHOTO);

        HttpResponse<String> granted = startUpload("""
                {"fileName": "Camera Roll/IMG 1.jpg", "contentType": "image/jpeg", "contentLength": %d}
                """.formatted(photo.length));

        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(granted.body());
        String key = ticket.get("key").asString();
        assertThat(key).matches("browser/\\d{4}-\\d\\d-\\d\\d/[0-9a-f-]{36}-img-1\\.jpg");
        assertThat(ticket.get("method").asString()).isEqualTo("PUT");
        assertThat(ticket.get("url").asString()).startsWith("http://localhost:" + port + "/local-uploads/" + key);
        assertThat(ticket.at("/headers/Content-Type").asString()).isEqualTo("image/jpeg");
        assertThat(ticket.at("/headers/Content-Length").asString()).isEqualTo(Integer.toString(photo.length));
        Instant expiresAt = Instant.parse(ticket.get("expiresAt").asString());
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(240), Instant.now().plusSeconds(301));
        assertThat(granted.headers().firstValue("Location")).contains("http://localhost:" + port + "/images/" + key);

        HttpResponse<String> put = put(ticket.get("url").asString(), "image/jpeg", photo);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).isPresent();
        assertThat(ROOT.resolve("uploads").resolve(key)).hasBinaryContent(photo);
        JsonNode record = JSON.readTree(get("/images/" + key).body());
        assertThat(record.get("status").asString()).isEqualTo("PROCESSED");
        HttpResponse<byte[]> thumbnail = http.send(HttpRequest.newBuilder(uri("/thumbnails/" + key)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(TestImages.decode(thumbnail.body()).getWidth()).isEqualTo(256);
        JsonNode recent = JSON.readTree(get("/images?limit=100").body());
        assertThat(recent.get("items").valueStream().map(item -> item.at("/source/key").asString()))
            .contains(key);
    }

    @Test
    void aGrantUploadsOnceAndASecondPutWithItsUrlIsRefused() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.CAMERA_PHOTO);
        JsonNode ticket = JSON.readTree(startUpload("""
                {"fileName": "once.jpg", "contentType": "image/jpeg", "contentLength": %d}
                """.formatted(photo.length)).body());
        String key = ticket.get("key").asString();
        byte[] other = photo.clone();
        other[other.length - 3] ^= 1;

        HttpResponse<String> first = put(ticket.get("url").asString(), "image/jpeg", photo);
        HttpResponse<String> second = put(ticket.get("url").asString(), "image/jpeg", other);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(412);
        assertThat(second.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(second.body()).contains("This upload URL has been used");
        assertThat(ROOT.resolve("uploads").resolve(key)).hasBinaryContent(photo);
    }

    @Test
    void aTextFileNamedJpgIsStoredAndRejectedWithAReason() throws Exception {
        byte[] text = TestImages.bytes("not-jpeg/plain-text.jpg");
        JsonNode ticket = JSON.readTree(startUpload(request("notes.jpg", text.length)).body());

        assertThat(put(ticket.get("url").asString(), "image/jpeg", text).statusCode()).isEqualTo(200);

        JsonNode record = JSON.readTree(get("/images/" + ticket.get("key").asString()).body());
        assertThat(record.get("status").asString()).isEqualTo("REJECTED");
        assertThat(record.get("reason").asString()).isNotBlank();
    }

    @Test
    void aWrongLengthTypeOrTamperedSignatureIsRefusedAndNothingStored() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        JsonNode ticket = JSON.readTree(startUpload(request("small.jpg", photo.length)).body());
        String url = ticket.get("url").asString();
        String key = ticket.get("key").asString();

        HttpResponse<String> longer = put(url, "image/jpeg", java.util.Arrays.copyOf(photo, photo.length + 1));
        HttpResponse<String> otherType = put(url, "image/png", photo);
        // checked against the signature like any other type, not parsed as a form before it (a 400 "Malformed form")
        HttpResponse<String> formType = put(url, "multipart/form-data", photo);
        HttpResponse<String> tampered = put(url.replace("signature=", "signature=0"), "image/jpeg", photo);
        HttpResponse<String> otherKey = put(url.replace("small.jpg", "other.jpg"), "image/jpeg", photo);
        HttpResponse<String> unsigned = put(url.substring(0, url.indexOf('?')), "image/jpeg", photo);

        for (HttpResponse<String> refused : List.of(longer, otherType, formType, tampered, otherKey,
                unsigned)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asString()).isNotBlank();
        }
        assertThat(storedUploads()).noneMatch(path -> path.endsWith("small.jpg") || path.endsWith("other.jpg"));
        assertThat(get("/images/" + key).statusCode()).isEqualTo(404);
    }

    /**
     * Path parameters ({@code ;jsessionid=...}, {@code ;x=1}) in the upload URL: the server dropped them from the key
     * it handed over, so the upload was stored under the signed key from a URL that was not the signed one. Refused as
     * the key routes refuse them, before the signature or the body is read; the URL as granted still uploads.
     */
    @Test
    void pathParametersInTheUploadUrlAreA400ProblemAndNothingStored() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        JsonNode ticket = JSON.readTree(startUpload(request("params.jpg", photo.length)).body());
        String url = ticket.get("url").asString();
        String key = ticket.get("key").asString();
        int query = url.indexOf('?');

        for (String changed : List.of(url.substring(0, query) + ";jsessionid=ABC" + url.substring(query),
                url.replace("/local-uploads/browser/", "/local-uploads/browser;x=1/"),
                url.replace("/local-uploads/", "/local-uploads;v=2/"))) {
            HttpResponse<String> refused = put(changed, "image/jpeg", photo);

            assertThat(refused.statusCode()).as(changed + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("';'");
        }
        assertThat(storedUploads()).noneMatch(path -> path.endsWith("params.jpg"));
        assertThat(get("/images/" + key).statusCode()).isEqualTo(404);
        assertThat(put(url, "image/jpeg", photo).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredUrlIsRefusedAndNothingStored() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        JsonNode ticket = JSON.readTree(startUpload(request("late.jpg", photo.length)).body());
        String url = ticket.get("url").asString();
        // a URL whose expiry lies in the past is refused as expired before its signature is looked at (as S3
        // does), so this stands for waiting out the five minutes; HmacUploadSignerTest expires a real signature
        String expires = url.replaceAll(".*expires=(\\d+).*", "$1");
        HttpResponse<String> backdated = put(url.replace("expires=" + expires, "expires=1"), "image/jpeg", photo);

        assertThat(backdated.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(backdated.body()).get("detail").asString()).contains("expired");
        assertThat(storedUploads()).noneMatch(path -> path.endsWith("late.jpg"));
    }

    @Test
    void refusesUploadRequestsItCannotGrantWithProblemDetails() throws Exception {
        List<HttpResponse<String>> refused = new ArrayList<>();
        refused.add(startUpload("""
                {"fileName": "a.png", "contentType": "image/png", "contentLength": 10}"""));
        refused.add(startUpload(request("empty.jpg", 0)));
        refused.add(startUpload(request("huge.jpg", 2L * 1024 * 1024 + 1)));
        refused.add(startUpload("{\"fileName\": \"a.jpg\", \"contentType\": "));
        refused.add(startUpload("""
                {"fileName": "a.jpg", "contentType": "image/jpeg", "contentLength": "many"}"""));
        refused.add(startUpload("""
                {"fileName": "a.jpg", "contentType": "image/jpeg", "contentLength": 1.5}"""));
        refused.add(startUpload("""
                {"fileName": "a.jpg", "contentType": "image/jpeg", "contentLength": 10, "sha256": "x"}"""));
        refused.add(startUpload("null"));

        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(JSON.readTree(refused.get(0).body()).get("detail").asString()).contains("image/jpeg");
        assertThat(JSON.readTree(refused.get(2).body()).get("detail").asString()).contains("over the upload limit");
        assertThat(JSON.readTree(refused.get(3).body()).get("detail").asString())
            .startsWith("The body is not the expected JSON: ");
        // a misspelt checksum is refused, not ignored: its client would believe the upload checked
        assertThat(JSON.readTree(refused.get(6).body()).get("detail").asString())
            .isEqualTo("The body names \"sha256\", which an upload request does not have: it takes fileName, "
                    + "contentType, contentLength and checksumSha256");

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("photo.jpg"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(notJson.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(notJson.body()).get("detail").asString()).isEqualTo("Content-Type 'text/plain' is "
                + "not taken here: send the body as application/json, with the header 'Content-Type: "
                + "application/json'");
    }

    @Test
    void anUploadRequestOverItsBoundIsA413ProblemWithOrWithoutAContentLength() throws Exception {
        // valid JSON all the same: the bound is on what the server holds, not on what it could parse
        String padded = " ".repeat(UploadController.MAX_REQUEST_BYTES) + request("padded.jpg", 10);
        byte[] bytes = padded.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        HttpResponse<String> declared = startUpload(padded);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
            .build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                .startsWith("An upload request is at most " + UploadController.MAX_REQUEST_BYTES + " bytes");
        }
        // just within the bound, the same request is granted
        String within = " ".repeat(UploadController.MAX_REQUEST_BYTES - request("padded.jpg", 10).length())
                + request("padded.jpg", 10);
        assertThat(startUpload(within).statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json; charset=bogus", "application/json;;;=", "application/json; a=\"b" })
    void aContentTypeThatDoesNotParseIsNamedAsSentNotCalledMissing(String contentType) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(request("typed.jpg", 10)))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("detail").asString())
            .startsWith("Content-Type '" + contentType + "', which could not be parsed, is not taken here")
            .doesNotContain("without a Content-Type");
    }

    @Test
    void anUploadRequestWithoutAContentTypeIsTold415InASentence() throws Exception {
        // java.net.http sends no Content-Type unless given one, as curl --data-binary with -H 'Content-Type:' does
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/uploads"))
            .POST(HttpRequest.BodyPublishers.ofString(request("untyped.jpg", 10)))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).isEqualTo("A request without a "
                + "Content-Type is not taken here: send the body as application/json, with the header 'Content-Type: "
                + "application/json'");
    }

    @Test
    void anUploadRequestNamingAFieldTwiceIsA400NotATicketForOneOfThem() throws Exception {
        String digest = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        // Jackson kept the last: a ticket without the checksum its client sent, or for another length
        HttpResponse<String> checksum = startUpload("{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", "
                + "\"contentLength\": 10, \"checksumSha256\": \"" + digest + "\", \"checksumSha256\": null}");
        HttpResponse<String> length = startUpload("{\"fileName\": \"a.jpg\", \"contentType\": \"image/jpeg\", "
                + "\"contentLength\": 10, \"contentLength\": 11}");

        for (HttpResponse<String> response : List.of(checksum, length)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("Duplicate");
        }
    }

    @Test
    void anEmptyUploadRequestSaysWhatToSend() throws Exception {
        HttpResponse<String> empty = startUpload("");

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("detail").asString()).startsWith("The body is empty; send");
    }

    @Test
    void anUploadRequestInAnyJsonEncodingIsGranted() throws Exception {
        String request = request("bom.jpg", 10);
        byte[] utf8 = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withByteOrderMark = new byte[utf8.length + 3];
        withByteOrderMark[0] = (byte) 0xEF;
        withByteOrderMark[1] = (byte) 0xBB;
        withByteOrderMark[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withByteOrderMark, 3, utf8.length);

        // a UTF-8 byte order mark (RFC 8259 lets a parser ignore it; Windows tools write one) and UTF-16, which Jackson
        // detects from the bytes
        for (byte[] body : List.of(withByteOrderMark, request.getBytes(java.nio.charset.StandardCharsets.UTF_16LE))) {
            HttpResponse<String> granted = http.send(HttpRequest.newBuilder(uri("/uploads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        }
    }

    @Test
    void listsPageByPageWithACursor() throws Exception {
        for (int i = 0; i < 3; i++) {
            byte[] photo = TestImages.bytes(TestImages.SMALL);
            JsonNode ticket = JSON.readTree(startUpload(request("paged-" + i + ".jpg", photo.length)).body());
            assertThat(put(ticket.get("url").asString(), "image/jpeg", photo).statusCode()).isEqualTo(200);
        }

        JsonNode first = JSON.readTree(get("/images?limit=2").body());
        JsonNode second = JSON.readTree(get("/images?limit=2&cursor=" + first.get("next").asString()).body());

        assertThat(first.get("items")).hasSize(2);
        assertThat(first.at("/items/0/source/key").asString()).endsWith("paged-2.jpg");
        assertThat(first.at("/items/1/source/key").asString()).endsWith("paged-1.jpg");
        assertThat(second.at("/items/0/source/key").asString()).endsWith("paged-0.jpg");
        assertThat(get("/images?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/images?limit=101").statusCode()).isEqualTo(400);
        assertThat(get("/images?cursor=nonsense").statusCode()).isEqualTo(400);
    }

    /**
     * A photo named in another script keeps its name in its key (the gallery's caption): the ticket's URL carries the
     * key percent-encoded as UTF-8, and the signature, the store, the record and the thumbnail all take it.
     */
    @Test
    void aPhotoNamedInAnotherScriptKeepsItsNameThroughTheWholeUpload() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);

        HttpResponse<String> granted = startUpload(request("Фото Отпуск.jpg", photo.length));

        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        JsonNode ticket = JSON.readTree(granted.body());
        String key = ticket.get("key").asString();
        assertThat(key).endsWith("-фото-отпуск.jpg");
        String url = ticket.get("url").asString();
        assertThat(url).as("a URL any client can send as it is").matches("\\p{ASCII}+")
            .contains("-%D1%84%D0%BE%D1%82%D0%BE-%D0%BE%D1%82%D0%BF%D1%83%D1%81%D0%BA.jpg?expires=");
        HttpResponse<String> put = put(url, "image/jpeg", photo);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(ROOT.resolve("uploads").resolve(key)).hasBinaryContent(photo);
        String path = ImageApi.pathOf(key);
        JsonNode record = JSON.readTree(get("/images/" + path).body());
        assertThat(record.get("status").asString()).isEqualTo("PROCESSED");
        assertThat(record.at("/source/key").asString()).isEqualTo(key);
        HttpResponse<byte[]> thumbnail = http.send(HttpRequest.newBuilder(uri("/thumbnails/" + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
    }

    private static String request(String fileName, long length) {
        return "{\"fileName\": \"" + fileName + "\", \"contentType\": \"image/jpeg\", \"contentLength\": " + length + "}";
    }

    private List<String> storedUploads() throws IOException {
        Path uploads = ROOT.resolve("uploads");
        if (!Files.exists(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(uploads)) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }

    private HttpResponse<String> startUpload(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/uploads"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String url, String contentType, byte[] content) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(60))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
