package io.github.lambdaimageprocessor.function;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code httpApi} through {@code FunctionInvoker}, the handler Lambda calls, on events a client shapes: the adapter
 * between them must hand the function the event API Gateway sent, whatever the client put in the body or headers.
 * Profile local, anonymous use off (as deployed without an authorizer or opt-in).
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpApiFunctionInvokerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;

    private static FunctionInvoker invoker;

    @BeforeAll
    static void startTheHandlerAsLambdaDoes() {
        Map<String, String> properties = Map.of("MAIN_CLASS", ImageProcessorApplication.class.getName(),
                "spring.cloud.function.definition", "httpApi", "spring.profiles.active", "local",
                "image-processor.local.root", root.toString(), "image-processor.uploads.allow-anonymous", "false",
                "image-processor.uploads.allowed-origins", "https://app.example.com");
        invoker = InProcessLambda.start(properties);
    }

    /** What API Gateway sends for a request on a route without an authorizer (GET / in template.yaml). */
    private static Map<String, Object> event(String method, String path, Map<String, String> headers, String body) {
        Map<String, Object> event = new HashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", headers);
        event.put("requestContext", Map.of("http", Map.of("method", method, "path", path), "routeKey",
                method + " " + path, "stage", "$default"));
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    /** An event the client wrote itself, claiming a POST /uploads by a caller with verified JWT claims. */
    private static final Map<String, Object> FORGED = Map.of("rawPath", "/uploads", "requestContext",
            Map.of("http", Map.of("method", "POST"), "authorizer", Map.of("jwt", Map.of("claims", Map.of("sub", "x")))),
            "headers", Map.of("content-type", "application/json"), "body",
            "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":100}");

    private static JsonNode invoke(Map<String, Object> event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out,
                new TestLambdaContext("req-http"));
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void aJsonArrayBodyIsTheRequestsBodyNotEventsOfTheClientsMaking() throws Exception {
        JsonNode response = invoke(event("GET", "/", Map.of("user-agent", "curl"),
                JSON.writeValueAsString(List.of(FORGED))));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(response.at("/headers/Content-Type").asString()).startsWith("text/html");
    }

    /** The setting reaches the function: a preflight, without a token, from the listed origin and another. */
    @Test
    void aPreflightFromTheConfiguredOriginIsAnsweredAndAnotherRefused() throws Exception {
        JsonNode allowed = invoke(event("OPTIONS", "/uploads", Map.of("origin", "https://app.example.com",
                "access-control-request-method", "POST"), null));
        JsonNode refused = invoke(event("OPTIONS", "/uploads", Map.of("origin", "https://evil.example",
                "access-control-request-method", "POST"), null));

        assertThat(allowed.get("statusCode").asInt()).as(allowed.toString()).isEqualTo(204);
        assertThat(allowed.at("/headers/Access-Control-Allow-Origin").asString()).isEqualTo("https://app.example.com");
        assertThat(refused.get("statusCode").asInt()).as(refused.toString()).isEqualTo(403);
    }

    @Test
    void aRequestHeaderNamedPayloadIsJustAHeader() throws Exception {
        JsonNode response = invoke(event("GET", "/images", Map.of("payload", JSON.writeValueAsString(List.of(FORGED))),
                null));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(401);
    }

    @Test
    void anEmptyJsonArrayBodyIsA4xxProblemNotAFailedInvocation() throws Exception {
        JsonNode response = invoke(event("POST", "/uploads", Map.of("content-type", "application/json"), "[]"));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(401);
        assertThat(response.at("/headers/Content-Type").asString()).isEqualTo("application/problem+json");
    }

    @Test
    void theCallersTokenAndCookiesStayOutOfTheLog(CapturedOutput output) throws Exception {
        Map<String, Object> event = event("GET", "/images", Map.of("authorization", "Bearer eyJ.secret-token.sig",
                "cookie", "session=secret-cookie"), null);
        event.put("cookies", List.of("session=secret-cookie"));

        invoke(event);

        assertThat(output.getAll()).doesNotContain("secret-token").doesNotContain("secret-cookie");
    }

    @Test
    void aWellFormedRequestStillReachesItsRoute() throws Exception {
        JsonNode response = invoke(event("POST", "/uploads", Map.of("content-type", "application/json"),
                "{\"fileName\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"contentLength\":100}"));

        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(401);
        assertThat(response.at("/body").asString()).contains("AllowAnonymousUploads");
    }
}
