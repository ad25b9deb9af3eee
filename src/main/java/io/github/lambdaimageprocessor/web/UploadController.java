package io.github.lambdaimageprocessor.web;

import java.net.URI;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.ImageApi;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser uploads over HTTP: {@code POST /uploads} grants a signed upload URL, {@code GET /images} lists recent
 * records. The answers come from {@link ImageApi}, as on Lambda.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class UploadController {

    private final ImageApi api;

    private final ObjectReader uploadRequests;

    UploadController(ImageApi api, JsonMapper json) {
        this.api = api;
        // strict, as the Lambda HTTP API is: a field the request does not have is refused, not ignored
        this.uploadRequests = json.readerFor(UploadRequest.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @PostMapping(path = "/uploads", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<UploadTicket> startUpload(@RequestBody byte[] body, HttpServletRequest http) {
        UploadRequest request;
        try {
            // the bytes, as Spring's JSON converter read them: Jackson detects UTF-16 and UTF-32 and skips a UTF-8 byte
            // order mark, where a String body would carry the mark and mangle the others into a 400
            request = uploadRequests.readValue(body);
        }
        catch (UnrecognizedPropertyException e) {
            throw ImageApi.unknownUploadField(e.getPropertyName());
        }
        catch (JacksonException e) {
            throw ApiException.badRequest("The body is not the expected JSON: " + e.getOriginalMessage());
        }
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
