package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.api.ThumbnailReply;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.UploadProperties;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * A convenience for trying the pipeline out: upload a file into the upload bucket and have it processed at once,
 * then fetch its metadata record and thumbnail. Uses the same core as the function.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ImageController {

    private final ImageProcessorProperties properties;

    private final ImageApi api;

    private final LocalUploads uploads;

    private final AllowedOrigins allowedOrigins;

    ImageController(ImageProcessorProperties properties, ImageApi api, LocalUploads uploads,
            ObjectProvider<UploadProperties> uploadProperties) {
        this.api = api;
        this.uploads = uploads;
        this.properties = properties;
        UploadProperties configured = uploadProperties.getIfAvailable();
        this.allowedOrigins = configured == null ? AllowedOrigins.NONE : configured.origins();
    }

    @PostMapping(path = "/images", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<?> upload(@RequestParam("file") MultipartFile file,
            @RequestParam(name = "key", required = false) String key, MultipartHttpServletRequest form) {
        // Spring joins a key sent twice (in the form, or in the form and the query string) with a comma, and takes the
        // first of two files: neither is what the client sent
        String[] keys = form.getParameterValues("key");
        if (keys != null && keys.length > 1) {
            throw new BadRequestException("The key is given " + keys.length + " times (form fields and query string "
                    + "together): give it once");
        }
        int files = form.getFiles("file").size();
        if (files > 1) {
            throw new BadRequestException("The form has " + files + " files: send one file per request");
        }
        boolean named = key == null || key.isBlank();
        String objectKey = named ? defaultKey(file) : key;
        // the form's text is read as UTF-8 and a byte that is not becomes U+FFFD, so the photo was stored under a key
        // the client never wrote (a Latin-1 "café" as "caf\uFFFD"); the path routes refuse such a key with a 400 too
        if (objectKey.indexOf('\uFFFD') >= 0) {
            throw new BadRequestException("The " + (named ? "file name" : "key") + " is not valid UTF-8: send it "
                    + "encoded as UTF-8, as browsers and curl do");
        }
        return process(objectKey, bytesOf(file), file.getContentType());
    }

    /**
     * The same as {@code POST /images} with the file as the request body and the key as the path, the way S3 takes
     * objects ({@code curl -T photo.jpg http://localhost:8080/images/photos/cat.jpg}): no multipart form to parse, which
     * is most of what an upload costs besides the thumbnail itself.
     */
    @PutMapping("/images/{*key}")
    ResponseEntity<?> put(@PathVariable String key,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) {
        String objectKey = key.startsWith("/") ? key.substring(1) : key;
        if (objectKey.isEmpty()) {
            throw new BadRequestException("Put the file at the key it is to have: PUT /images/photos/cat.jpg");
        }
        requireNoPathParameters(request);
        // a body is read into one array, which cannot hold more than about 2 GB whatever the limit says
        long limit = Math.min(properties.limits().maxUploadSize().toBytes(), Integer.MAX_VALUE - 9);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared + " bytes", limit);
        }
        byte[] content = readBody(request, declared, limit);
        return process(objectKey, content, contentType);
    }

    /**
     * The servlet container takes ";..." in a path for parameters and drops it from the key it hands over: {@code GET
     * /images/a;b.jpg} would answer for key {@code a}, a PUT would store under it.
     */
    private static void requireNoPathParameters(HttpServletRequest request) {
        if (request.getRequestURI().indexOf(';') >= 0) {
            throw new BadRequestException(ImageApi.SEMICOLON_IN_PATH);
        }
    }

    /** What a body announcing its size gets before any of it arrived. */
    static final int FIRST_BUFFER = 1024 * 1024;

    /**
     * The body, in an array that grows towards its announced size (fourfold, from 1 MB) as bytes arrive: a phone photo
     * is copied once, and a client that announces 20 MB and sends nothing holds 1 MB, not 20.
     */
    static byte[] readBody(HttpServletRequest request, long declared, long limit) {
        try {
            if (declared >= 0) {
                byte[] content = new byte[(int) Math.min(declared, FIRST_BUFFER)];
                int filled = 0;
                while (true) {
                    filled += request.getInputStream().readNBytes(content, filled, content.length - filled);
                    if (filled < content.length) {
                        throw bodyEnded(declared);
                    }
                    if (filled == declared) {
                        return content;
                    }
                    content = java.util.Arrays.copyOf(content, (int) Math.min(declared, 4L * content.length));
                }
            }
            // chunked: one byte more than the limit tells an upload over it
            byte[] content = request.getInputStream().readNBytes((int) limit + 1);
            if (content.length > limit) {
                throw tooLarge("more than " + limit + " bytes", limit);
            }
            return content;
        }
        catch (IOException e) {
            // the client's side of the connection ended (or broke) before the whole body arrived
            throw bodyEnded(declared);
        }
    }

    /**
     * The refusal of a body that ended early. Tomcat has usually answered it already (a 400 that it forwards to
     * {@code /error} once the route returns), so this reaches a committed response: an {@link ApiException}, which
     * {@code ProblemHandler} answers, is dropped there quietly, where Spring's handler for its own exceptions logged
     * each at WARN ("Response already committed. Ignoring"), a warning per client whose upload broke off.
     */
    private static ApiException bodyEnded(long declared) {
        return ApiException.badRequest(declared >= 0
                ? "The body ended before the " + declared + " bytes its Content-Length announced"
                : "The body ended before its last chunk");
    }

    private static ApiException tooLarge(String size, long limit) {
        return new ApiException(413, "Content Too Large", "The upload is " + size
                + ", over the limit of " + limit + " bytes (image-processor.limits.max-upload-size)");
    }

    private ResponseEntity<?> process(String objectKey, byte[] content, String contentType) {
        ObjectRef source = new ObjectRef(properties.uploadBucket(), objectKey);
        ProcessedImage result = uploads.storeAndProcess(source, content, contentType).result();
        URI location = URI.create("/images/" + pathOf(objectKey));
        return switch (result.status()) {
            case PROCESSED -> ResponseEntity.created(location).body(result);
            case REJECTED -> {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                        result.reason());
                problem.setTitle("Image rejected");
                problem.setProperty("result", result);
                yield ResponseEntity.unprocessableContent()
                    .location(location)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
            }
            case SKIPPED -> ResponseEntity.ok(result);
        };
    }

    @GetMapping("/images/{*key}")
    ResponseEntity<ProcessedImage> record(@PathVariable String key, HttpServletRequest request) {
        requireNoPathParameters(request);
        return ResponseEntity.ok(api.status(key));
    }

    @GetMapping("/thumbnails/{*key}")
    ResponseEntity<byte[]> thumbnail(@PathVariable String key, HttpServletRequest request) {
        requireNoPathParameters(request);
        // as on the function: a page on an allowed origin gets the bytes, since its fetch following the redirect
        // (profile aws) would reach S3 with Origin: null, which no CORS rule allows; an <img> sends no Origin and
        // keeps the redirect
        boolean crossOrigin = allowedOrigins.allow(request.getHeader(HttpHeaders.ORIGIN)).isPresent();
        return switch (crossOrigin ? api.thumbnailContent(key) : api.thumbnail(key)) {
            case ThumbnailReply.Content content -> ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(content.contentType()))
                .body(content.jpeg());
            case ThumbnailReply.Redirect redirect -> ResponseEntity.status(HttpStatus.FOUND)
                .location(redirect.location())
                .build();
        };
    }

    /** The key as the path of its routes: {@link ImageApi#pathOf}, as on Lambda. */
    static String pathOf(String key) {
        return ImageApi.pathOf(key);
    }

    private static String defaultKey(MultipartFile file) {
        String name = file.getOriginalFilename();
        if (name == null || name.isBlank()) {
            throw new BadRequestException("The upload has no file name; pass a key: -F key=photos/cat.jpg");
        }
        // browsers on Windows may send a full path; keep the last segment only
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (last.isBlank()) {
            throw new BadRequestException("The upload has no file name; pass a key: -F key=photos/cat.jpg");
        }
        return last;
    }

    private static byte[] bytesOf(MultipartFile file) {
        try {
            return file.getBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to read the uploaded file", e);
        }
    }

    /** 400 for what the client sent (no file name, no key), with a problem detail saying what to send instead. */
    static final class BadRequestException extends ErrorResponseException {

        BadRequestException(String detail) {
            super(HttpStatus.BAD_REQUEST, ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), null);
        }
    }
}
