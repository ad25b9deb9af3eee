package io.github.lambdaimageprocessor.function;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.api.PageAssets;
import io.github.lambdaimageprocessor.api.ThumbnailReply;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.UntrustedText;
import io.github.lambdaimageprocessor.processing.UploadRequest;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.Message;

/**
 * The {@code httpApi} function: API Gateway HTTP API (payload 2.0) events in, HTTP responses out, routed to the same
 * {@link ImageApi} the web app's controllers use, so a browser sees the same API on Lambda as locally. The page
 * ({@code /}, {@code /app.js}, {@code /app.css}) is served too, from the same files.
 *
 * <p>Every error is an RFC 9457 problem detail, unknown routes included. Data routes need a caller the API's JWT
 * authorizer verified, unless the deployment opted into anonymous use: without either, a deployment that forgot
 * its authorizer refuses uploads instead of taking them from anyone.
 *
 * <p>Pages on the {@link AllowedOrigins} may call it from the browser (CORS): their preflights are answered, every
 * answer to them carries the CORS headers, problems included, and a thumbnail comes as its bytes rather than as a
 * redirect they could not follow. A request without an {@code Origin}, or from any other origin, is answered as if
 * none were configured.
 */
public class HttpApiFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger log = LoggerFactory.getLogger(HttpApiFunction.class);

    private static final String PROBLEM_JSON = "application/problem+json";

    private final ImageApi api;

    private final JsonMapper json;

    private final UploadRequestReader uploadRequests;

    private final boolean allowAnonymous;

    private final AllowedOrigins allowedOrigins;

    public HttpApiFunction(ImageApi api, JsonMapper json, boolean allowAnonymous) {
        this(api, json, allowAnonymous, AllowedOrigins.NONE);
    }

    /** @param allowedOrigins pages besides the API's own that may call it from the browser (CORS) */
    public HttpApiFunction(ImageApi api, JsonMapper json, boolean allowAnonymous, AllowedOrigins allowedOrigins) {
        this.api = api;
        this.json = json;
        this.uploadRequests = new UploadRequestReader(json);
        this.allowAnonymous = allowAnonymous;
        this.allowedOrigins = allowedOrigins;
    }

    /**
     * This function as Lambda invokes it: the event's JSON, parsed here by the AWS event serializer the adapter would
     * use (see {@code FunctionConfiguration#httpApi} for why the adapter must not parse it).
     */
    public Function<Message<byte[]>, APIGatewayV2HTTPResponse> fromEventJson() {
        PojoSerializer<APIGatewayV2HTTPEvent> events = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                HttpApiFunction.class.getClassLoader());
        return message -> apply(events.fromJson(new ByteArrayInputStream(EventJson.of(message))));
    }

    /**
     * HEAD is answered as GET without the body, as Spring answers it on the web app: status and headers (a 404
     * included) are the GET's, so a client may check that a record or thumbnail exists without fetching it.
     */
    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        String origin = event == null ? null : header(event, "origin");
        Optional<String> allowedOrigin = allowedOrigins.allow(origin);
        if ("OPTIONS".equals(method(event)) && origin != null && header(event, "access-control-request-method") != null) {
            return preflight(event, origin, allowedOrigin);
        }
        APIGatewayV2HTTPResponse response = answer(event, allowedOrigin.isPresent());
        if (allowedOrigin.isPresent()) {
            Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
            headers.putAll(crossOriginHeaders(allowedOrigin.get()));
            headers.put("Access-Control-Expose-Headers", "Location");
            response.setHeaders(headers);
        }
        if (!"HEAD".equals(method(event))) {
            return response;
        }
        return APIGatewayV2HTTPResponse.builder()
            .withStatusCode(response.getStatusCode())
            .withHeaders(response.getHeaders())
            .withIsBase64Encoded(false)
            .build();
    }

    /**
     * A browser's CORS preflight (an OPTIONS with {@code Origin} and {@code Access-Control-Request-Method}), which
     * reaches the function by the template's {@code OPTIONS /{proxy+}} route, without a token (a browser sends none
     * with a preflight). Any path: the request that follows gets its own answer, 404 included. The methods and headers
     * are the API's, whatever the preflight asks for; the browser compares.
     */
    private APIGatewayV2HTTPResponse preflight(APIGatewayV2HTTPEvent event, String origin,
            Optional<String> allowedOrigin) {
        if (allowedOrigin.isEmpty()) {
            return problem(403, "Forbidden", "The origin " + UntrustedText.excerpt(origin) + " may not call this API from a browser: it is "
                    + "not in the deployment's UploadsAllowedOrigins (image-processor.uploads.allowed-origins)",
                    event.getRawPath() == null ? "/" : event.getRawPath());
        }
        return new Response(204).headers(crossOriginHeaders(allowedOrigin.get()))
            .header("Access-Control-Allow-Methods", "GET, POST, HEAD")
            .header("Access-Control-Allow-Headers", "authorization, content-type")
            .header("Access-Control-Max-Age", Long.toString(AllowedOrigins.PREFLIGHT_MAX_AGE.toSeconds()))
            .build();
    }

    /**
     * No {@code Access-Control-Allow-Credentials}: a page sends its token in {@code Authorization}, which needs no
     * credentials mode, so no cookie of the API's domain is ever read on another page's behalf.
     */
    private static Map<String, String> crossOriginHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Vary", "Origin");
        return headers;
    }

    /** @param crossOrigin whether the caller is a page on an allowed other origin */
    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, boolean crossOrigin) {
        String method = method(event);
        String path = event == null || event.getRawPath() == null ? "/" : event.getRawPath();
        try {
            return route(event, method, path, crossOrigin);
        }
        catch (ApiException e) {
            if (e.status() >= 500) {
                log.error("{} {}: {}", e.status(), path, e.getMessage());
            }
            return problem(e.status(), e.title(), e.getMessage(), path);
        }
        catch (ServiceFailureException e) {
            // S3 or DynamoDB unreachable, throttling, failing, refusing or missing: answered as the web app answers
            // it, with one WARN line where a stack trace would say nothing more
            Optional<ApiException> known = ApiException.serviceFailure(e);
            if (known.isPresent()) {
                ApiException answer = known.get();
                log.warn("{}", ApiException.serviceFailureLine(answer, method, path, e));
                return problem(answer.status(), answer.title(), answer.getMessage(), path,
                        answer.retryAfter().orElse(null));
            }
            return serverError(method, path, e);
        }
        catch (RuntimeException e) {
            return serverError(method, path, e);
        }
    }

    /**
     * A failure nobody named: a problem detail like every other error, where a failed invocation would get API
     * Gateway's bare {@code {"message":"Internal Server Error"}}; the cause, with its stack, is for the log, not the
     * caller.
     */
    private APIGatewayV2HTTPResponse serverError(String method, String path, RuntimeException e) {
        log.error("500 {} {}", method, path, e);
        return problem(500, "Internal Server Error", "The server failed to answer the request; the cause is in its log",
                path);
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event, String method, String path,
            boolean crossOrigin) {
        Optional<PageAssets.Asset> asset = PageAssets.find(path);
        if (asset.isPresent()) {
            requireMethod(method, "GET");
            return new Response(200).header("Content-Type", asset.get().contentType())
                .header("Cache-Control", "no-cache")
                .headers(PageAssets.SECURITY_HEADERS)
                .body(asset.get().content());
        }
        if (path.equals("/uploads")) {
            requireMethod(method, "POST");
            authorize(event);
            UploadTicket ticket = api.startUpload(uploadRequest(event));
            return new Response(201).header("Location", "/images/" + ImageApi.pathOf(ticket.key())).json(ticket);
        }
        if (path.equals("/images")) {
            requireMethod(method, "GET");
            authorize(event);
            return new Response(200).json(api.recent(query(event, "limit"), query(event, "cursor")));
        }
        if (path.startsWith("/images/")) {
            requireMethod(method, "GET");
            authorize(event);
            return new Response(200).json(api.status(decode(path.substring("/images/".length()))));
        }
        if (path.startsWith("/thumbnails/")) {
            requireMethod(method, "GET");
            authorize(event);
            // a page on another origin cannot read a redirected fetch (the browser sends Origin: null to S3, a
            // redirect-tainted origin no CORS rule allows): it gets the bytes, tens of KB, far below Lambda's 6 MB
            // response limit. An <img> sends no Origin and keeps the redirect
            String key = decode(path.substring("/thumbnails/".length()));
            ThumbnailReply reply = crossOrigin ? api.thumbnailContent(key) : api.thumbnail(key);
            return switch (reply) {
                case ThumbnailReply.Redirect redirect -> new Response(302)
                    .header("Location", redirect.location().toString())
                    .header("Cache-Control", "no-store")
                    .build();
                case ThumbnailReply.Content content -> new Response(200).header("Content-Type", content.contentType())
                    .body(content.jpeg());
            };
        }
        throw ApiException.notFound("No route " + UntrustedText.excerpt(method) + " " + UntrustedText.excerpt(path)
                + "; the API has POST /uploads, GET /images, "
                + "GET /images/{key} and GET /thumbnails/{key}");
    }

    private void authorize(APIGatewayV2HTTPEvent event) {
        if (allowAnonymous) {
            return;
        }
        var authorizer = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
        boolean verified = authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null
                && !authorizer.getJwt().getClaims().isEmpty();
        if (!verified) {
            throw new ApiException(401, "Unauthorized", "This deployment serves only callers with a verified token: "
                    + "deploy with UploadsJwtIssuer and UploadsJwtAudience, or opt into anonymous use with "
                    + "AllowAnonymousUploads=true");
        }
    }

    private UploadRequest uploadRequest(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type");
        // the type itself, without parameters (charset): what the web app's route consumes, where a prefix test
        // would take application/jsonx or application/json-seq too
        String mediaType = contentType == null ? null : contentType.split(";", 2)[0].strip();
        if (mediaType == null || !mediaType.equalsIgnoreCase("application/json")) {
            throw new ApiException(415, "Unsupported Media Type", "Send the request as JSON with the header "
                    + "'Content-Type: application/json'");
        }
        String body = event.getBody();
        if (body == null || body.isBlank()) {
            throw ImageApi.emptyUploadRequest();
        }
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            try {
                bytes = Base64.getDecoder().decode(body);
            }
            catch (IllegalArgumentException e) {
                throw ApiException.badRequest("The body is marked base64-encoded but is not valid base64");
            }
        }
        else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return uploadRequests.read(bytes);
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method) && !(allowed.equals("GET") && "HEAD".equals(method))) {
            throw new ApiException(405, "Method Not Allowed", "Use " + allowed + " here, not " + method);
        }
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null) {
            return "GET";
        }
        return event.getRequestContext().getHttp().getMethod();
    }

    private static String query(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> parameters = event.getQueryStringParameters();
        return parameters == null ? null : parameters.get(name);
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        // API Gateway lower-cases header names in payload 2.0; tolerate other spellings from hand-made events
        for (Map.Entry<String, String> entry : event.getHeaders().entrySet()) {
            // a hand-made event may hold a null name or value: as good as no such header
            if (name.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * A path segment as the client encoded it; '+' is a plus in a path, not a space. Escapes must spell UTF-8, as the
     * web app's server requires (400 otherwise): a lenient decoder would put U+FFFD in their place and look up a key
     * the client never named. A raw ';' is refused as the web app refuses it ({@link ImageApi#SEMICOLON_IN_PATH}),
     * and so are an encoded '/', backslash or NUL ({@link #separatorInKey}).
     */
    private static String decode(String encoded) {
        if (encoded.indexOf(';') >= 0) {
            throw ApiException.badRequest(ImageApi.SEMICOLON_IN_PATH);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '\\') {
                throw separatorInKey();
            }
            if (c != '%') {
                // half a surrogate pair has no UTF-8: getBytes would put '?' in its place, another key
                boolean pair = Character.isHighSurrogate(c) && i + 1 < encoded.length()
                        && Character.isLowSurrogate(encoded.charAt(i + 1));
                if (Character.isSurrogate(c) && !pair) {
                    throw notUtf8();
                }
                int end = pair ? i + 2 : i + 1;
                bytes.writeBytes(encoded.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            int high = i + 2 < encoded.length() ? hexDigit(encoded.charAt(i + 1)) : -1;
            int low = high < 0 ? -1 : hexDigit(encoded.charAt(i + 2));
            if (low < 0) {
                throw ApiException.badRequest("The key in the path is not URL-encoded: a % must be followed by two "
                        + "hex digits (write a literal % as %25)");
            }
            int decoded = high << 4 | low;
            if (decoded == '/' || decoded == '\\' || decoded == 0) {
                throw separatorInKey();
            }
            bytes.write(decoded);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        }
        catch (CharacterCodingException e) {
            throw notUtf8();
        }
    }

    private static ApiException notUtf8() {
        return ApiException.badRequest("The key in the path is not UTF-8 once its %-escapes are decoded: encode "
                + "each character of the key as the %-escapes of its UTF-8 bytes (é as %C3%A9)");
    }

    /**
     * An ASCII hex digit's value, else -1: {@link Character#digit} also reads fullwidth and other scripts' digits, which
     * would decode "%\uFF14\uFF11" as "A" where the web app's server refuses it.
     */
    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    /**
     * The web app's server refuses an encoded '/', backslash or NUL in any path, and a raw backslash, before the app
     * sees it (a guard against path tricks on servlet mappings); the function refuses them too, so that no key answers
     * on one flavour of the API and is a 400 on the other, and "a/b" is not reachable as "a%2Fb" on Lambda only.
     */
    private static ApiException separatorInKey() {
        return ApiException.badRequest("The key in the path holds an encoded '/', '\\' or NUL (%2F, %5C, %00) or a "
                + "'\\', which this API refuses: write each '/' of the key as itself");
    }

    private APIGatewayV2HTTPResponse problem(int status, String title, String detail, String path) {
        return problem(status, title, detail, path, null);
    }

    /** @param retryAfter when to try again, or null when waiting does not help */
    private APIGatewayV2HTTPResponse problem(int status, String title, String detail, String path,
            java.time.Duration retryAfter) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", path);
        Response response = new Response(status).header("Content-Type", PROBLEM_JSON);
        if (status == 405) {
            response.header("Allow", path.equals("/uploads") ? "POST" : "GET");
        }
        if (retryAfter != null) {
            response.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response.text(json.writeValueAsString(problem));
    }

    /** Builds an {@link APIGatewayV2HTTPResponse}. */
    private final class Response {

        private final int status;

        private final Map<String, String> headers = new LinkedHashMap<>();

        Response(int status) {
            this.status = status;
        }

        Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Response headers(Map<String, String> more) {
            headers.putAll(more);
            return this;
        }

        APIGatewayV2HTTPResponse json(Object body) {
            headers.putIfAbsent("Content-Type", "application/json");
            return text(HttpApiFunction.this.json.writeValueAsString(body));
        }

        APIGatewayV2HTTPResponse text(String body) {
            return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
        }

        APIGatewayV2HTTPResponse body(byte[] bytes) {
            return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(bytes))
                .withIsBase64Encoded(true)
                .build();
        }

        APIGatewayV2HTTPResponse build() {
            return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withIsBase64Encoded(false)
                .build();
        }
    }
}
