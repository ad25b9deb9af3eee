package io.github.lambdaimageprocessor.function;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.api.PageAssets;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.Uploads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@link HttpApiFunction} on hand-made API Gateway events (HttpApiLambdaIT drives the packaged one). */
class HttpApiFunctionTest {

    private final HttpApiFunction function = new HttpApiFunction(new ImageApi(new Uploads(
            new HmacUploadSigner(new byte[32], Clock.systemUTC()), "uploads", "browser/", 1_000_000,
            Duration.ofMinutes(5)), new InMemoryMetadataRepository(), new InMemoryImageStore(),
            new OutputLocation("processed", "thumbnails/"), "uploads", null, null), JsonMapper.builder().build(), true);

    private static APIGatewayV2HTTPEvent post(Map<String, String> headers, String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder()
            .withRawPath("/uploads")
            .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
                .build())
            .withHeaders(headers)
            .withBody(body)
            .withIsBase64Encoded(base64)
            .build();
    }

    @Test
    void aBodyMarkedBase64ThatIsNotIsA400Problem() {
        APIGatewayV2HTTPResponse response = function.apply(post(Map.of("content-type", "application/json"), "!!!",
                true));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("not valid base64");
    }

    @Test
    void anUploadRequestNamingAFieldItDoesNotHaveIsA400ProblemNotATicketWithoutIt() {
        APIGatewayV2HTTPResponse misspelt = function.apply(post(Map.of("content-type", "application/json"),
                "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10,\"sha256\":\"x\"}",
                false));
        APIGatewayV2HTTPResponse nullBody = function.apply(post(Map.of("content-type", "application/json"), "null",
                false));

        assertThat(misspelt.getStatusCode()).isEqualTo(400);
        assertThat(misspelt.getBody()).contains("The body names \\\"sha256\\\", which an upload request does not have");
        assertThat(nullBody.getStatusCode()).isEqualTo(400);
        assertThat(nullBody.getBody()).contains("The body is empty");
    }

    /**
     * A field given twice is refused like one the request does not have: either value would be silently dropped, and
     * parsers disagree on which (the last here), so a checksum written first and a null after it went unchecked.
     */
    @ParameterizedTest
    @ValueSource(strings = { "\"contentType\":\"image/png\",\"contentType\":\"image/jpeg\"",
            "\"contentType\":\"image/jpeg\",\"checksumSha256\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\","
                    + "\"checksumSha256\":null" })
    void anUploadRequestNamingAFieldTwiceIsA400Problem(String fields) {
        APIGatewayV2HTTPResponse response = function.apply(post(Map.of("content-type", "application/json"),
                "{\"fileName\":\"a.jpg\",\"contentLength\":10," + fields + "}", false));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("Duplicate");
    }

    @Test
    void anUploadRequestWithAByteOrderMarkIsGrantedAsTheWebAppGrantsIt() {
        String request = "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}";

        APIGatewayV2HTTPResponse text = function.apply(post(Map.of("content-type", "application/json"),
                "\uFEFF" + request, false));
        APIGatewayV2HTTPResponse base64 = function.apply(post(Map.of("content-type", "application/json"),
                java.util.Base64.getEncoder().encodeToString(("\uFEFF" + request).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)), true));

        assertThat(text.getStatusCode()).as(text.getBody()).isEqualTo(201);
        assertThat(base64.getStatusCode()).as(base64.getBody()).isEqualTo(201);
    }

    /** The web app's route consumes application/json, with parameters, in any case; no type that merely starts so. */
    @ParameterizedTest
    @ValueSource(strings = { "application/json", "Application/JSON", "application/json; charset=utf-8",
            "application/json;charset=UTF-8", "application/jsonx", "application/json-seq", "application/json5" })
    void anUploadRequestIsTakenForTheTypesTheWebAppTakes(String type) {
        APIGatewayV2HTTPResponse response = function.apply(post(Map.of("content-type", type),
                "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}", false));

        boolean json = type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").matches("application/json(;.*)?");
        assertThat(response.getStatusCode()).as(type + ": " + response.getBody()).isEqualTo(json ? 201 : 415);
    }

    /**
     * The file name is the client's, up to the 6 MB Lambda takes: reducing it to the key's name must take time in
     * proportion to it. A run of dashes inside it cost time in proportion to its square, 4 s for 40,000, and a body
     * of 100 KB held the function past its 15 s timeout (API Gateway answers 503, and the concurrency it holds is the
     * account's, the processing function's too).
     */
    @Test
    void aLongRunOfDashesInTheFileNameIsGrantedAtOnce() {
        String fileName = "a" + "-".repeat(200_000) + "b.jpg";

        APIGatewayV2HTTPResponse response = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> function.apply(post(Map.of("content-type", "application/json"), "{\"fileName\":\"" + fileName
                        + "\",\"contentType\":\"image/jpeg\",\"contentLength\":10}", false)));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        // cut to 60 characters, then the dashes the cut ended on trimmed
        assertThat(response.getBody()).contains("-a.jpg\"");
    }

    @Test
    void aHeaderWithoutAValueIsAsGoodAsNoHeader() {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", null);
        headers.put(null, "orphan");

        APIGatewayV2HTTPResponse response = function.apply(post(headers, "{}", false));

        assertThat(response.getStatusCode()).isEqualTo(415);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void anInfrastructureFailureIsA500ProblemWithoutTheCause() {
        // given a record store that fails in a way nobody named
        HttpApiFunction failingFunction = failingWith(() -> new IllegalStateException(
                "Failed to query processed-images (ProvisionedThroughputExceededException)"));

        // when the list is asked for
        APIGatewayV2HTTPResponse response = failingFunction.apply(listRequest());

        // then the caller gets a problem detail, as for every other error, not API Gateway's bare 500 for a failed
        // invocation; the cause stays in the log
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("\"status\":500").doesNotContain("ProvisionedThroughput");
    }

    @Test
    void aThrottledServiceIsA503WithRetryAfterAsOnTheWebApp() {
        HttpApiFunction throttled = failingWith(() -> new ServiceFailureException("DynamoDB", "Query",
                ServiceFailureException.Kind.THROTTLED, "ProvisionedThroughputExceededException", "REQ-1",
                "Failed to list recent records from DynamoDB table processed-images (...)", null));

        APIGatewayV2HTTPResponse response = throttled.apply(listRequest());

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1")
            .containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("\"title\":\"Service throttling\"")
            .contains("DynamoDB is throttling this server's requests (ProvisionedThroughputExceededException)")
            .doesNotContain("processed-images");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aServiceFailureIsOneWarnLineAsTheWebAppWritesIt(CapturedOutput output) {
        HttpApiFunction throttled = failingWith(() -> new ServiceFailureException("DynamoDB", "Query",
                ServiceFailureException.Kind.THROTTLED, "ProvisionedThroughputExceededException", "REQ-1",
                "Failed to list recent records from DynamoDB table processed-images (...)", null));

        throttled.apply(listRequest());

        assertThat(output.getOut()).contains("WARN", "503 GET /images: DynamoDB Query failed, throttled, error code "
                + "ProvisionedThroughputExceededException, request id REQ-1: Failed to list recent records from "
                + "DynamoDB table processed-images (...)")
            .doesNotContain("\tat ");
    }

    @Test
    void aMissingTableIsA502WithoutRetryAfterAsOnTheWebApp() {
        HttpApiFunction missing = failingWith(() -> new ServiceFailureException("DynamoDB", "Query",
                ServiceFailureException.Kind.NOT_FOUND, "ResourceNotFoundException", "REQ-1",
                "Failed to list recent records from DynamoDB table processed-images (...)", null));

        APIGatewayV2HTTPResponse response = missing.apply(listRequest());

        assertThat(response.getStatusCode()).isEqualTo(502);
        assertThat(response.getHeaders()).doesNotContainKey("Retry-After");
        assertThat(response.getBody()).contains("\"title\":\"Service resource missing\"");
    }

    /** The function over a record store whose every call throws what {@code failure} makes. */
    private static HttpApiFunction failingWith(java.util.function.Supplier<RuntimeException> failure) {
        return new HttpApiFunction(new ImageApi(new Uploads(new HmacUploadSigner(new byte[32], Clock.systemUTC()),
                "uploads", "browser/", 1_000_000, Duration.ofMinutes(5)), new FailingMetadataRepository(failure),
                new InMemoryImageStore(), new OutputLocation("processed", "thumbnails/"), "uploads", null, null),
                JsonMapper.builder().build(), true);
    }

    private static APIGatewayV2HTTPEvent listRequest() {
        return APIGatewayV2HTTPEvent.builder()
            .withRawPath("/images")
            .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                .build())
            .build();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js", "/app.css" })
    void everyFileOfThePageComesWithTheSecurityHeadersTheWebAppSends(String path) {
        APIGatewayV2HTTPResponse response = function.apply(APIGatewayV2HTTPEvent.builder()
            .withRawPath(path)
            .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                .build())
            .build());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(PageAssets.SECURITY_HEADERS).containsKey("Content-Security-Policy");
        assertThat(response.getHeaders()).containsAllEntriesOf(PageAssets.SECURITY_HEADERS)
            .containsEntry("Cache-Control", "no-cache");
    }

    private APIGatewayV2HTTPResponse request(String method, String rawPath) {
        return function.apply(APIGatewayV2HTTPEvent.builder()
            .withRawPath(rawPath)
            .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build())
                .build())
            .build());
    }

    /**
     * The web app's server refuses a path whose escapes are not UTF-8 with a 400; a lenient decoder would look up a
     * key with U+FFFD in it instead, and answer 404 for a key the client never named. So is half a surrogate pair in
     * the event's rawPath, which has no UTF-8 either (it was looked up as '?').
     */
    @ParameterizedTest
    @ValueSource(strings = { "/images/%FF", "/thumbnails/%FF", "/images/a%E2%82", "/images/%C0%AF",
            "/images/%ED%A0%80", "/images/a\uD800.jpg", "/images/a\uDC00.jpg", "/thumbnails/a\uD800" })
    void aKeyWhoseEscapesAreNotUtf8IsA400ProblemAsOnTheWebApp(String path) {
        APIGatewayV2HTTPResponse response = request("GET", path);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("UTF-8").doesNotContain("\uFFFD", "\\uFFFD");
    }

    /**
     * An escape's two hex digits are ASCII ones, as the web app's server reads them: fullwidth or Arabic-Indic digits
     * after a '%' (which API Gateway hands on as the client sent them) named another key, "%\uFF14\uFF11" the key "A".
     */
    @ParameterizedTest
    @ValueSource(strings = { "/images/%\uFF14\uFF11.jpg", "/thumbnails/%\uFF14\uFF11.jpg", "/images/%\u0664\u0661.jpg",
            "/images/a%\uFF12\uFF25.jpg" })
    void anEscapeWithDigitsThatAreNotAsciiHexIsA400Problem(String path) {
        APIGatewayV2HTTPResponse response = request("GET", path);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).contains("two hex digits");
    }

    @Test
    void aKeyInUtf8IsStillDecoded() {
        APIGatewayV2HTTPResponse response = request("GET", "/images/caf%C3%A9+1.jpg");

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("s3://uploads/caf\u00E9+1.jpg");
    }

    /** What a client sent is quoted cut short: a path or an origin of kilobytes, a key with control characters. */
    @Test
    void whatTheClientSentIsQuotedCutShortWithItsControlCharactersEscaped() {
        APIGatewayV2HTTPResponse key = request("GET", "/images/a%0Ab" + "x".repeat(1000) + ".jpg");
        APIGatewayV2HTTPResponse route = request("GET", "/" + "n".repeat(5000));
        APIGatewayV2HTTPResponse origin = withApp.apply(preflight("/uploads", "https://" + "e".repeat(5000)
                + ".example"));

        // the detail, that is: the instance is the path as sent, percent-encoded
        assertThat(detail(key)).contains("s3://uploads/a\\u000Abxxx").doesNotContain("x".repeat(101));
        assertThat(route.getStatusCode()).isEqualTo(404);
        assertThat(detail(route)).contains("nnn\u2026").doesNotContain("n".repeat(101));
        assertThat(origin.getStatusCode()).isEqualTo(403);
        assertThat(detail(origin)).contains("eee\u2026").doesNotContain("e".repeat(101));
    }

    private static String detail(APIGatewayV2HTTPResponse problem) {
        return JsonMapper.builder().build().readTree(problem.getBody()).get("detail").asString();
    }

    /** The web app's server would cut the key at a raw ';', so it refuses one; so does the function. */
    @ParameterizedTest
    @ValueSource(strings = { "/images/a;b.jpg", "/thumbnails/a;b.jpg", "/images/a;b/c.jpg" })
    void aRawSemicolonInTheKeyIsA400ProblemAskingForPercent3B(String path) {
        APIGatewayV2HTTPResponse response = request("GET", path);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getBody()).contains("encode it as %3B");
        assertThat(request("GET", path.replace(";", "%3B")).getStatusCode()).isEqualTo(404);
    }

    /**
     * The web app's server refuses an encoded '/', '\' or NUL, and a raw '\', before the app sees the path: a key
     * one flavour of the API finds must not be a 400 on the other, nor "a/b" be reachable as "a%2Fb" on one only.
     */
    @ParameterizedTest
    @ValueSource(strings = { "/images/a%2Fb.jpg", "/images/a%2fb.jpg", "/thumbnails/a%2Fb.jpg", "/images/a%5Cb.jpg",
            "/images/a%5cb.jpg", "/images/a%00b.jpg", "/images/a\\b.jpg" })
    void anEncodedSlashBackslashOrNulInTheKeyIsA400ProblemAsOnTheWebApp(String path) {
        APIGatewayV2HTTPResponse response = request("GET", path);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }

    /** Spring answers HEAD on every GET route like GET, without the body; so does the function. */
    @ParameterizedTest
    @ValueSource(strings = { "/", "/app.js", "/images", "/images/a.jpg", "/thumbnails/a.jpg", "/nope" })
    void headIsAnsweredAsGetWithoutABody(String path) {
        APIGatewayV2HTTPResponse get = request("GET", path);

        APIGatewayV2HTTPResponse head = request("HEAD", path);

        assertThat(head.getStatusCode()).as(head.getBody()).isEqualTo(get.getStatusCode());
        assertThat(head.getHeaders()).isEqualTo(get.getHeaders());
        assertThat(head.getBody()).isNullOrEmpty();
    }

    @Test
    void headOnTheUploadRouteIsStill405() {
        APIGatewayV2HTTPResponse response = request("HEAD", "/uploads");

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "POST");
        assertThat(response.getBody()).isNullOrEmpty();
    }

    /** The web app encodes the key in the Location of a granted upload; a key prefix may hold what a path may not. */
    @Test
    void theLocationOfAGrantedUploadIsTheKeyPercentEncodedAsOnTheWebApp() {
        HttpApiFunction spaced = new HttpApiFunction(new ImageApi(new Uploads(
                new HmacUploadSigner(new byte[32], Clock.systemUTC()), "uploads", "my photos;1/", 1_000_000,
                Duration.ofMinutes(5)), new InMemoryMetadataRepository(), new InMemoryImageStore(),
                new OutputLocation("processed", "thumbnails/"), "uploads", null, null), JsonMapper.builder().build(),
                true);

        APIGatewayV2HTTPResponse response = spaced.apply(post(Map.of("content-type", "application/json"),
                "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}", false));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(response.getHeaders().get("Location")).startsWith("/images/my%20photos%3B1/").doesNotContain(" ");
    }

    // ---- pages on another origin (CORS) ----

    private static final String APP = "https://app.example.com";

    private final InMemoryMetadataRepository records = new InMemoryMetadataRepository();

    private final InMemoryImageStore thumbnails = new InMemoryImageStore();

    /** As on AWS: thumbnails are links (a stand-in for presigned GETs), and {@link #APP} may call the API. */
    private HttpApiFunction crossOrigin(boolean allowAnonymous, AllowedOrigins origins) {
        return new HttpApiFunction(new ImageApi(new Uploads(new HmacUploadSigner(new byte[32], Clock.systemUTC()),
                "uploads", "browser/", 1_000_000, Duration.ofMinutes(5)), records, thumbnails,
                new OutputLocation("processed", "thumbnails/"), "uploads", null,
                thumbnail -> URI.create("https://" + thumbnail.bucket() + ".s3.example/" + thumbnail.key())),
                JsonMapper.builder().build(), allowAnonymous, origins);
    }

    private final HttpApiFunction withApp = crossOrigin(true, AllowedOrigins.of(List.of(APP)));

    private static APIGatewayV2HTTPEvent event(String method, String rawPath, Map<String, String> headers,
            String body) {
        return APIGatewayV2HTTPEvent.builder()
            .withRawPath(rawPath)
            .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build())
                .build())
            .withHeaders(headers)
            .withBody(body)
            .withIsBase64Encoded(false)
            .build();
    }

    private static APIGatewayV2HTTPEvent preflight(String path, String origin) {
        return event("OPTIONS", path, Map.of("origin", origin, "access-control-request-method", "POST",
                "access-control-request-headers", "authorization,content-type"), null);
    }

    private void processed(String key) {
        records.save(ProcessedImage.processed(new ImageObject("uploads", key, 1000, 800, 5000L, "image/jpeg"),
                new ImageObject("processed", "thumbnails/" + key, 256, 205, 3L, "image/jpeg"),
                Instant.parse("2026-12-04T10:00:00Z")).withNotifiedAt(Instant.parse("2026-12-04T10:00:01Z")));
        thumbnails.write(new ObjectRef("processed", "thumbnails/" + key), new byte[] { (byte) 0xFF, (byte) 0xD8, 7 },
                "image/jpeg", Map.of());
    }

    /** A browser's preflight arrives without a token (template: OPTIONS /{proxy+} has no authorizer). */
    @ParameterizedTest
    @ValueSource(strings = { "/uploads", "/images", "/images/browser/a.jpg", "/thumbnails/browser/a.jpg", "/nope" })
    void aPreflightFromAnAllowedOriginIs204WithTheApisMethodsAndHeaders(String path) {
        APIGatewayV2HTTPResponse response = crossOrigin(false, AllowedOrigins.of(List.of(APP)))
            .apply(preflight(path, APP));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Access-Control-Allow-Origin", APP,
                "Vary", "Origin",
                "Access-Control-Allow-Methods", "GET, POST, HEAD",
                "Access-Control-Allow-Headers", "authorization, content-type",
                "Access-Control-Max-Age", "600"));
        assertThat(response.getBody()).isNullOrEmpty();
    }

    /** As the browser sends it: lower case, default port left out; the configured spelling may differ. */
    @Test
    void theOriginIsComparedAsAnOriginAndRepeatedAsTheBrowserSentIt() {
        HttpApiFunction spelt = crossOrigin(true, AllowedOrigins.of(List.of("https://App.Example.com:443")));

        APIGatewayV2HTTPResponse response = spelt.apply(preflight("/uploads", APP));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", APP);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "http://app.example.com", "https://app.example.com:8443",
            "https://app.example.com.evil.example", "null" })
    void aPreflightFromAnyOtherOriginIsA403ProblemSayingItIsNotAllowed(String origin) {
        APIGatewayV2HTTPResponse response = withApp.apply(preflight("/uploads", origin));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json")
            .doesNotContainKeys("Access-Control-Allow-Origin", "Access-Control-Allow-Methods");
        assertThat(response.getBody()).contains("\"status\":403").contains(origin).contains("UploadsAllowedOrigins");
    }

    @Test
    void withNoOriginConfiguredEveryPreflightIsRefused() {
        APIGatewayV2HTTPResponse response = function.apply(preflight("/uploads", APP));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).doesNotContainKey("Access-Control-Allow-Origin");
    }

    /** Problems too: a page on another origin reads why it was refused, not a bare network error. */
    @ParameterizedTest
    @CsvSource({ "POST, /uploads, application/json, 201", "POST, /uploads, text/plain, 415", "GET, /images, , 200",
            "GET, /images/browser/none.jpg, , 404", "GET, /thumbnails/browser/none.jpg, , 404",
            "GET, /images/a%FF, , 400", "PUT, /uploads, application/json, 405", "GET, /nope, , 404",
            "HEAD, /images/browser/none.jpg, , 404" })
    void everyAnswerToAnAllowedOriginCarriesTheCorsHeaders(String method, String path, String contentType,
            int status) {
        Map<String, String> headers = new HashMap<>(Map.of("origin", APP));
        if (contentType != null) {
            headers.put("content-type", contentType);
        }

        APIGatewayV2HTTPResponse response = withApp.apply(event(method, path, headers,
                "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", APP)
            .containsEntry("Vary", "Origin")
            .containsEntry("Access-Control-Expose-Headers", "Location")
            .doesNotContainKey("Access-Control-Allow-Credentials");
    }

    @Test
    void aCallerWithoutATokenReadsTheFunctions401() {
        APIGatewayV2HTTPResponse response = crossOrigin(false, AllowedOrigins.of(List.of(APP)))
            .apply(event("GET", "/images", Map.of("origin", APP), null));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("Access-Control-Allow-Origin", APP);
    }

    /**
     * Without an Origin (curl, an {@code <img>}, a same-origin GET), or from an origin not listed, the answer is the
     * one a deployment without the setting gives, header for header.
     */
    @ParameterizedTest
    @CsvSource(value = { "POST, /uploads, ", "GET, /images, ", "GET, /images/browser/a.jpg, ",
            "GET, /thumbnails/browser/a.jpg, ", "GET, /thumbnails/browser/none.jpg, ", "GET, /, ", "GET, /nope, ",
            "OPTIONS, /uploads, ", "HEAD, /thumbnails/browser/a.jpg, ", "POST, /uploads, https://evil.example",
            "GET, /thumbnails/browser/a.jpg, https://evil.example", "GET, /images, null" }, nullValues = "")
    void withoutAnAllowedOriginTheAnswerIsAsWithoutTheSetting(String method, String path, String origin) {
        processed("browser/a.jpg");
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
        if (origin != null) {
            headers.put("origin", origin);
        }
        String body = "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":10}";

        APIGatewayV2HTTPResponse with = withApp.apply(event(method, path, headers, body));
        APIGatewayV2HTTPResponse without = crossOrigin(true, AllowedOrigins.NONE).apply(event(method, path, headers,
                body));

        boolean granted = with.getStatusCode() == 201;
        assertThat(with.getStatusCode()).isEqualTo(without.getStatusCode());
        assertThat(with.getHeaders().keySet()).containsExactlyElementsOf(without.getHeaders().keySet())
            .noneMatch(name -> name.startsWith("Access-Control-") || name.equals("Vary"));
        if (!granted) {
            // a ticket holds a fresh key and expiry
            assertThat(with.getHeaders()).isEqualTo(without.getHeaders());
            assertThat(with.getBody()).isEqualTo(without.getBody());
        }
        assertThat(with.getIsBase64Encoded()).isEqualTo(without.getIsBase64Encoded());
    }

    /**
     * A fetch from another origin that follows the redirect reaches S3 with {@code Origin: null} (a redirect-tainted
     * origin), which no CORS rule allows: such a caller gets the bytes. An {@code <img>} sends no Origin and keeps the
     * redirect to the presigned GET.
     */
    @Test
    void aThumbnailComesAsItsBytesToAnAllowedOriginAndAsTheRedirectToAnImg() {
        processed("browser/a.jpg");

        APIGatewayV2HTTPResponse page = withApp.apply(event("GET", "/thumbnails/browser/a.jpg",
                Map.of("origin", APP), null));
        APIGatewayV2HTTPResponse img = withApp.apply(event("GET", "/thumbnails/browser/a.jpg", Map.of(), null));
        APIGatewayV2HTTPResponse head = withApp.apply(event("HEAD", "/thumbnails/browser/a.jpg",
                Map.of("origin", APP), null));

        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getHeaders()).containsEntry("Content-Type", "image/jpeg")
            .containsEntry("Access-Control-Allow-Origin", APP)
            .doesNotContainKey("Location");
        assertThat(page.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(page.getBody())).containsExactly(0xFF, 0xD8, 7);
        assertThat(img.getStatusCode()).isEqualTo(302);
        assertThat(img.getHeaders()).containsEntry("Location",
                "https://processed.s3.example/thumbnails/browser/a.jpg")
            .doesNotContainKey("Access-Control-Allow-Origin");
        assertThat(head.getStatusCode()).isEqualTo(200);
        assertThat(head.getHeaders()).containsEntry("Access-Control-Allow-Origin", APP);
        assertThat(head.getBody()).isNullOrEmpty();
    }

    /** Fails every call, as the DynamoDB adapter does when the table cannot be reached. */
    private static final class FailingMetadataRepository implements MetadataRepository {

        private final java.util.function.Supplier<RuntimeException> failure;

        FailingMetadataRepository(java.util.function.Supplier<RuntimeException> failure) {
            this.failure = failure;
        }

        private RuntimeException failure() {
            return failure.get();
        }

        @Override
        public boolean save(ProcessedImage image) {
            throw failure();
        }

        @Override
        public boolean replace(ProcessedImage image, ProcessedImage expected) {
            throw failure();
        }

        @Override
        public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
            throw failure();
        }

        @Override
        public boolean release(ProcessedImage claim, Instant lapsedAt) {
            throw failure();
        }

        @Override
        public Optional<ProcessedImage> find(ObjectRef source) {
            throw failure();
        }

        @Override
        public Page<ProcessedImage> findRecent(int limit, String cursor) {
            throw failure();
        }
    }
}
