package io.github.lambdaimageprocessor.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import io.github.lambdaimageprocessor.function.S3EventShape;
import io.github.lambdaimageprocessor.processing.UntrustedText;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards Spring Cloud Function's {@code POST /processImage} and {@code POST /backfillImages}. Left alone, they answer
 * a request without a JSON content type, or with JSON that is not what the function takes, with a silent
 * {@code 200 []} or a bare 500. This filter answers those with problem details (415, 400, 413) that say what to send
 * instead, and passes real S3 events and S3 Batch Operations requests on; any other path Spring Cloud Function's
 * catch-all routes would take gets a 404 problem.
 */
class FunctionRequestFilter extends OncePerRequestFilter {

    static final String FUNCTION_PATH = "/processImage";

    private static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css");
    static final String BACKFILL_PATH = "/backfillImages";

    /** S3 events are a few KB; anything far larger is not one. */
    static final int MAX_EVENT_BYTES = 1024 * 1024;

    /**
     * The reader for the checks, which refuses a property named twice: Jackson would keep the last, the event parser
     * fails the request with a 500, and what the sender meant is anyone's guess.
     */
    private final ObjectReader strict;

    /** A segment's {@code ;} parameters, compiled once: every request's path is matched against it. */
    private static final Pattern PATH_PARAMETERS = Pattern.compile(";[^/]*");

    private final JsonMapper json;

    /** Whether the local signed-upload route is there ({@code PUT /local-uploads/{key}}; not in profile aws). */
    private final boolean localUploads;

    FunctionRequestFilter(JsonMapper json, boolean localUploads) {
        this.json = json;
        this.localUploads = localUploads;
        this.strict = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Spring Cloud Function serves the function at {@code /processImage}, with a trailing slash or with {@code ;} path
     * parameters: all of them are guarded. It would serve it at {@code /} too, but the page's {@code GET /} mapping
     * (PageController) takes that path first, so any other method there is the page's 405, not the function. Its
     * catch-all routes would also feed any other path to the function (as a JSON body or as the input itself), or to
     * a bean named by the path's first segment ({@code /uploads/x}: the {@code uploads} bean), and answer 500: every
     * path that is not one of the app's own routes gets a 404 problem here instead. A path is the app's own only as
     * Spring MVC matches it, trailing slash included: {@code /app.js/} or {@code /uploads/} is no route of the app's,
     * and would reach those catch-alls.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = routedPath(request);
        return isUnder(path, "/images") || isUnder(path, "/thumbnails") || path.equals("/uploads")
                || (localUploads && isUnder(path, "/local-uploads")) || path.equals("/error")
                || isPage(request, path);
    }

    /** The upload page and its assets, served by PageController for GET and HEAD. */
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

    /**
     * The path as Spring MVC matches it against the app's routes: without the context path and each segment's
     * {@code ;} parameters, but with its trailing slashes, which no route of the app's matches.
     */
    private static String routedPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return PATH_PARAMETERS.matcher(path).replaceAll("");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requested = functionPath(request);
        boolean post = "POST".equals(request.getMethod());
        boolean backfill = BACKFILL_PATH.equals(requested);
        if (PAGE.contains(routedPath(request))) {
            // the page is there, only not for this method; a POST to / never reaches the function (PageController's
            // GET / takes the path), so it is refused here as the page's, not checked as an event it would not run
            response.setHeader("Allow", "GET, HEAD");
            if ("OPTIONS".equals(request.getMethod())) {
                response.setStatus(HttpStatus.OK.value());
                return;
            }
            write(response, requested, HttpStatus.METHOD_NOT_ALLOWED, "The upload page is read with GET "
                    + requested + ", not " + request.getMethod() + ".");
            return;
        }
        if (!backfill && !FUNCTION_PATH.equals(requested)) {
            String path = routedPath(request);
            write(response, path, HttpStatus.NOT_FOUND, "Nothing at " + UntrustedText.excerpt(path) + ". The app "
                    + "serves the upload page at GET /, POST /uploads, POST /images, PUT /images/{key}, GET /images, GET /images/{key}, "
                    + "GET /thumbnails/{key}, POST " + FUNCTION_PATH + " and POST " + BACKFILL_PATH + ".");
            return;
        }
        String path = backfill ? BACKFILL_PATH : FUNCTION_PATH;
        String what = backfill ? "the S3 Batch Operations request" : "the S3 event";
        if (!post) {
            response.setHeader("Allow", "POST");
            if ("OPTIONS".equals(request.getMethod())) {
                // as every other route answers it: the methods it takes
                response.setStatus(HttpStatus.OK.value());
                return;
            }
            write(response, path, HttpStatus.METHOD_NOT_ALLOWED,
                    "Send " + what + " with POST " + path + " and Content-Type: application/json.");
            return;
        }
        if (!isJson(request.getContentType())) {
            write(response, path, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type was "
                    + (request.getContentType() == null ? "missing" : "'" + request.getContentType() + "'")
                    + "; send " + what + " as JSON in UTF-8 with the header 'Content-Type: application/json'.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_EVENT_BYTES + 1);
        if (body.length > MAX_EVENT_BYTES) {
            write(response, path, HttpStatus.CONTENT_TOO_LARGE,
                    "The body is at most " + MAX_EVENT_BYTES + " bytes; this one is larger.");
            return;
        }
        // RFC 8259 lets a parser ignore a UTF-8 byte order mark; the check's parser does, the event parser does not
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            body = Arrays.copyOfRange(body, 3, body.length);
        }
        String problem = encodingProblem(body);
        if (problem == null) {
            problem = backfill ? batchRequestProblem(body) : s3EventProblem(body);
        }
        if (problem != null) {
            write(response, path, HttpStatus.BAD_REQUEST, problem);
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    /**
     * Why the body is not UTF-8, or null when it may be: Jackson detects UTF-16 and UTF-32 and reads them, the event
     * parser takes every body for UTF-8 and fails the request with a 500. JSON in those encodings has a NUL byte in
     * every ASCII character; UTF-8 JSON has none (a control character in a string is escaped).
     */
    private static String encodingProblem(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return "The body is not UTF-8 (it has NUL bytes, as UTF-16 and UTF-32 have): send JSON in UTF-8, "
                        + "as RFC 8259 requires.";
            }
        }
        return null;
    }

    /** Why the body is not an S3 event, or null when it is one. */
    private String s3EventProblem(byte[] body) {
        JsonNode event;
        try {
            event = strict.readTree(body);
        }
        catch (JacksonException e) {
            return "The body is not valid JSON: " + e.getOriginalMessage();
        }
        return S3EventShape.problem(event, "The body");
    }

    /**
     * Why the body is not an S3 Batch Operations request, or null when it is one. Only its shape is checked here; a
     * task naming no usable object gets a PermanentFailure result from the function, as on Lambda.
     */
    private String batchRequestProblem(byte[] body) {
        JsonNode request;
        try {
            request = strict.readTree(body);
        }
        catch (JacksonException e) {
            return "The body is not valid JSON: " + e.getOriginalMessage();
        }
        String shape = "an S3 Batch Operations request: a JSON object with \"invocationSchemaVersion\", "
                + "\"invocationId\" and a non-empty \"tasks\" array of objects (see events/batch/s3-batch-2.0.json)";
        if (request == null || !request.isObject()) {
            return "The body is not " + shape + ".";
        }
        JsonNode tasks = request.get("tasks");
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) {
            return "The body is not " + shape + ": it has no non-empty \"tasks\" array.";
        }
        for (JsonNode task : tasks) {
            if (!task.isObject() || !isText(task.path("taskId"))) {
                return "The body is not " + shape + ": every task needs a \"taskId\".";
            }
            for (String field : new String[] { "s3Key", "s3VersionId", "s3Bucket", "s3BucketArn" }) {
                if (!isAbsent(task.path(field)) && !task.path(field).isString()) {
                    return "The body is not " + shape + ": \"" + field + "\" must be a string.";
                }
            }
        }
        // what the request record cannot bind is no 400 from Spring Cloud Function: it hands the function the raw
        // text instead, which fails with a ClassCastException (a 500)
        JsonNode job = request.path("job");
        if (!isAbsent(job) && !job.isObject()) {
            return "The body is not " + shape + ": \"job\" must be an object.";
        }
        if (!isAbsent(job.path("id")) && !job.path("id").isValueNode()) {
            return "The body is not " + shape + ": \"job.id\" must be a string.";
        }
        JsonNode userArguments = job.path("userArguments");
        if (!isAbsent(userArguments) && !userArguments.isObject()) {
            return "The body is not " + shape + ": \"job.userArguments\" must be an object.";
        }
        if (userArguments.isObject()) {
            for (JsonNode argument : userArguments) {
                if (!argument.isValueNode()) {
                    return "The body is not " + shape + ": every value of \"job.userArguments\" must be a string.";
                }
            }
        }
        for (String field : new String[] { "invocationSchemaVersion", "invocationId" }) {
            if (!isText(request.path(field))) {
                return "The body is not " + shape + ": it has no \"" + field + "\".";
            }
        }
        return null;
    }

    private static boolean isAbsent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static boolean isText(JsonNode node) {
        return node.isString() && !node.asString().isBlank();
    }

    /**
     * Whether the type is one Spring Cloud Function reads as JSON, as RFC 8259 has it: in UTF-8. It decodes the body in
     * the charset the type names, so a UTF-8 body sent as {@code charset=utf-16} failed it with a 500, and one sent as
     * {@code charset=iso-8859-1} had its non-ASCII characters garbled (a key then names another object); and it fails a
     * wildcard type ({@code *}{@code /*}, {@code application/*}), which {@code isCompatibleWith} takes for JSON, with a
     * 500 too.
     */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return false;
            }
            boolean json = MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
            return json && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void write(HttpServletResponse response, String path, HttpStatus status, String detail)
            throws IOException {
        ProblemResponses.write(json, response, status, path, detail);
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
