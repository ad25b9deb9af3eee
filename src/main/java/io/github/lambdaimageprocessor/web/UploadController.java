package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.URI;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.function.UploadRequestReader;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.UploadRequest;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser uploads over HTTP: {@code POST /uploads} grants a signed upload URL, {@code GET /images} lists recent
 * records. The answers come from {@link ImageApi}, as on Lambda.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class UploadController {

    private final ImageApi api;

    private final UploadRequestReader uploadRequests;

    UploadController(ImageApi api, JsonMapper json) {
        this.api = api;
        this.uploadRequests = new UploadRequestReader(json);
    }

    /**
     * The largest upload request taken: one is a hundred bytes or so, and a file name of a few KB still fits. Spring's
     * {@code @RequestBody byte[]} read any body whole, so one request of a few hundred MB of JSON whitespace ran the
     * heap out ({@link OutOfMemoryError}, a 500, and whatever else allocated then failed with it); the upload memory
     * budget bounds only the upload routes.
     */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    @PostMapping(path = "/uploads", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<UploadTicket> startUpload(HttpServletRequest http) {
        // refused before reading, when the length says so; a chunked body by the byte past the bound
        if (http.getContentLengthLong() > MAX_REQUEST_BYTES) {
            throw requestTooLarge();
        }
        byte[] body;
        try {
            body = http.getInputStream().readNBytes(MAX_REQUEST_BYTES + 1);
        }
        catch (IOException e) {
            // the client's side of the connection ended (or broke) before the whole body arrived
            throw ApiException.badRequest("The body ended before its Content-Length, or its last chunk, arrived");
        }
        if (body.length > MAX_REQUEST_BYTES) {
            throw requestTooLarge();
        }
        if (body.length == 0) {
            throw ImageApi.emptyUploadRequest();
        }
        UploadRequest request = uploadRequests.read(body);
        UploadTicket ticket = api.startUpload(request);
        // the local signer's URL is this server's own route: absolute, so curl and other clients can use it as is
        URI base = ServletUriComponentsBuilder.fromContextPath(http).build().toUri();
        UploadTicket absolute = new UploadTicket(ticket.key(), resolve(base, ticket.url()), ticket.method(),
                ticket.headers(), ticket.expiresAt());
        return ResponseEntity.created(base.resolve("/images/" + ImageController.pathOf(ticket.key()))).body(absolute);
    }

    @GetMapping("/images")
    Page<ProcessedImage> recent(@RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor) {
        return api.recent(limit, cursor);
    }

    private static ApiException requestTooLarge() {
        return new ApiException(413, "Content Too Large", "An upload request is at most " + MAX_REQUEST_BYTES
                + " bytes of JSON: {\"fileName\", \"contentType\", \"contentLength\", \"checksumSha256\"}");
    }

    private static String resolve(URI base, String url) {
        return url.startsWith("/") ? base.toString().replaceAll("/$", "") + url : url;
    }
}
