package io.github.lambdaimageprocessor.web;

import java.net.URI;

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
import org.springframework.web.bind.annotation.RequestBody;
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

    @PostMapping(path = "/uploads", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<UploadTicket> startUpload(@RequestBody byte[] body, HttpServletRequest http) {
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

    private static String resolve(URI base, String url) {
        return url.startsWith("/") ? base.toString().replaceAll("/$", "") + url : url;
    }
}
