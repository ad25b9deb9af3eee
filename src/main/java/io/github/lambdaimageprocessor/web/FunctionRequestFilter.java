package io.github.lambdaimageprocessor.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards Spring Cloud Function's {@code POST /processImage}. Left alone, it answers a request without a JSON content
 * type, or with JSON that is not an S3 event, with a silent {@code 200 []}, and malformed JSON with a bare 500. This
 * filter answers those with problem details (415, 400, 413) that say what to send instead, and passes real S3 events
 * on; any other path Spring Cloud Function's catch-all routes would take gets a 404 problem.
 */
class FunctionRequestFilter extends OncePerRequestFilter {

    static final String FUNCTION_PATH = "/processImage";

    private static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css");

    /** S3 events are a few KB; anything far larger is not one. */
    static final int MAX_EVENT_BYTES = 1024 * 1024;

    private final JsonMapper json;

    FunctionRequestFilter(JsonMapper json) {
        this.json = json;
    }

    /**
     * Spring Cloud Function serves the function at {@code /processImage}, and also at {@code /} (it is the only
     * function), with a trailing slash or with {@code ;} path parameters: all of them are guarded. Its catch-all
     * routes would also feed any other path to the function (as a JSON body or as the input itself) and answer 500:
     * every path that is not one of the app's own routes gets a 404 problem here instead.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = functionPath(request);
        return isUnder(path, "/images") || isUnder(path, "/thumbnails") || isUnder(path, "/uploads")
                || isUnder(path, "/local-uploads") || path.equals("/error") || isPage(request, path);
    }

    /** The upload page and its assets, served as static resources; a POST to {@code /} is still the function's. */
    private static boolean isPage(HttpServletRequest request, String path) {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        return read && PAGE.contains(path);
    }

    private static boolean isUnder(String path, String route) {
        return path.equals(route) || path.startsWith(route + "/");
    }

    private static String functionPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        int parameters = path.indexOf(';');
        if (parameters >= 0) {
            path = path.substring(0, parameters);
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() ? "/" : path;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = functionPath(request);
        boolean post = "POST".equals(request.getMethod());
        if (!FUNCTION_PATH.equals(path) && !("/".equals(path) && post)) {
            write(response, HttpStatus.NOT_FOUND, "Nothing at " + path + ". The app serves the upload page at GET /, "
                    + "POST /uploads, POST /images, GET /images, GET /images/{key}, GET /thumbnails/{key} and POST "
                    + FUNCTION_PATH + ".", path);
            return;
        }
        if (!post) {
            response.setHeader("Allow", "POST");
            write(response, HttpStatus.METHOD_NOT_ALLOWED,
                    "Send the S3 event with POST " + FUNCTION_PATH + " and Content-Type: application/json.");
            return;
        }
        if (!isJson(request.getContentType())) {
            write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type was "
                    + (request.getContentType() == null ? "missing" : "'" + request.getContentType() + "'")
                    + "; send the S3 event as JSON with the header 'Content-Type: application/json'.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_EVENT_BYTES + 1);
        if (body.length > MAX_EVENT_BYTES) {
            write(response, HttpStatus.CONTENT_TOO_LARGE,
                    "An S3 event is at most " + MAX_EVENT_BYTES + " bytes; this body is larger.");
            return;
        }
        String problem = s3EventProblem(body);
        if (problem != null) {
            write(response, HttpStatus.BAD_REQUEST, problem);
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    /** Why the body is not an S3 event, or null when it is one. */
    private String s3EventProblem(byte[] body) {
        JsonNode event;
        try {
            event = json.readTree(body);
        }
        catch (JacksonException e) {
            return "The body is not valid JSON: " + e.getOriginalMessage();
        }
        if (event == null || !event.isObject()) {
            return "The body is not an S3 event: expected a JSON object with a \"Records\" array.";
        }
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            return "The body is not an S3 event: it has no non-empty \"Records\" array (see events/s3-put.json).";
        }
        for (JsonNode record : records) {
            // the AWS event parser cannot build a record without a valid eventTime: it fails the whole event
            if (!record.isObject() || !isTimestamp(record.path("eventTime"))) {
                return "The body is not an S3 event: every record needs an ISO-8601 \"eventTime\" "
                        + "(see events/s3-put.json).";
            }
            if (!isText(record.at("/s3/bucket/name")) || !isText(record.at("/s3/object/key"))) {
                return "The body is not an S3 event: every record needs \"s3\": {\"bucket\": {\"name\"}, "
                        + "\"object\": {\"key\"}} (see events/s3-put.json).";
            }
        }
        return null;
    }

    private static boolean isText(JsonNode node) {
        return node.isString() && !node.asString().isBlank();
    }

    private static boolean isTimestamp(JsonNode node) {
        if (!node.isString()) {
            return false;
        }
        try {
            java.time.OffsetDateTime.parse(node.asString());
            return true;
        }
        catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        write(response, status, detail, FUNCTION_PATH);
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail, String instance)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        try {
            problem.setInstance(URI.create(instance)); // the request's path as sent, so already encoded
        }
        catch (IllegalArgumentException e) {
            // not a URI after all: the problem goes out without an instance
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    /** The request with its body, already read for the check, available again to the function. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
