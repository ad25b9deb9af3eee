package io.github.lambdaimageprocessor.web;

import java.io.IOException;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local runtime's stand-in for an S3 presigned PUT: checks the signature (key, type, length, checksum, expiry)
 * before reading the body, stores the object in the upload bucket and processes it as the S3 event would. Answers
 * like S3: 200 with the ETag, no body; 403 for a bad or expired signature, and nothing is stored.
 */
@RestController
@Profile("!aws")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class LocalUploadController {

    private final HmacUploadSigner signer;

    private final ImageProcessorProperties properties;

    private final LocalUploads uploads;

    LocalUploadController(HmacUploadSigner signer, ImageProcessorProperties properties, LocalUploads uploads) {
        this.signer = signer;
        this.uploads = uploads;
        this.properties = properties;
    }

    static final String PATH_PARAMETERS = "The upload URL's path holds a ';' (path parameters such as "
            + ";jsessionid=), which the server would cut from the key: send the URL POST /uploads answered, unchanged "
            + "(a key's ';' is written %3B)";

    @PutMapping(HmacUploadSigner.ROUTE + "{*key}")
    ResponseEntity<Void> upload(@PathVariable String key,
            @RequestHeader(name = "Content-Type", required = false) String contentType,
            @RequestHeader(name = HmacUploadSigner.CHECKSUM_HEADER, required = false) String checksum,
            HttpServletRequest request) throws IOException {
        // the server drops ";..." path parameters (;jsessionid=) from the key it hands over, so such a URL stored
        // under the signed key though it is not the URL that was signed: refused, as the key routes refuse them
        if (request.getRequestURI().indexOf(';') >= 0) {
            throw ApiException.badRequest(PATH_PARAMETERS);
        }
        String objectKey = key.startsWith("/") ? key.substring(1) : key;
        if (objectKey.isEmpty()) {
            throw ApiException.badRequest("Upload to the URL POST /uploads answered");
        }
        long length = request.getContentLengthLong();
        if (length < 0) {
            throw new ApiException(411, "Length Required", "Send the Content-Length that was signed");
        }
        ObjectRef object = new ObjectRef(properties.uploadBucket(), objectKey);
        signer.verify(object, contentType, length, checksum, queryParameter(request, "expires"),
                queryParameter(request, "signature"));
        // the signature bounds the length to the upload limit, so this read is bounded too
        byte[] content = request.getInputStream().readNBytes((int) Math.min(length + 1, Integer.MAX_VALUE));
        signer.verifyContent(length, checksum, content);
        UploadEvent event = uploads.storeNewAndProcess(object, content, contentType).event();
        return ResponseEntity.ok().eTag("\"" + event.version().eTag() + "\"").build();
    }

    /**
     * A parameter of the URL's query string as written, or null. Not {@code getParameter}: Tomcat parses a body typed
     * {@code multipart/form-data} as a form for it, whatever the method, so a PUT typed so had its body read (and
     * spooled to disk) before its signature was checked, and one without a boundary was answered 400 rather than 403.
     * The signer writes both parameters with nothing to decode (digits, hex); an escaped one is a changed URL.
     */
    private static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
