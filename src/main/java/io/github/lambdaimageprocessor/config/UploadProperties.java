package io.github.lambdaimageprocessor.config;

import java.time.Duration;
import java.util.List;

import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.processing.Uploads;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser uploads, under {@code image-processor.uploads.*} (beside {@link ImageProcessorProperties}; its own record so
 * the upload settings travel together). The size limit is {@code image-processor.limits.max-upload-size}.
 *
 * @param urlExpiry how long an upload URL works, at most 15 minutes
 * @param keyPrefix where granted uploads go in the upload bucket ({@code <prefix><date>/<id>-<name>.jpg})
 * @param signingSecret local runtime only: the HMAC key of its upload URLs; empty means a random one per run (URLs
 *        then stop working on restart, which is what a local run wants)
 * @param linkExpiry AWS only: how long the presigned GET that {@code GET /thumbnails/{key}} redirects to works
 * @param allowAnonymous the Lambda HTTP API only: serve requests that carry no verified JWT (the template sets it
 *        from its opt-in parameter; off, so a deployment without an authorizer refuses uploads)
 * @param allowedOrigins web origins besides the API's own page (scheme, host, optional port) whose pages may call the
 *        API from the browser: the Lambda HTTP API and the local web app answer their preflights and add CORS headers
 *        for them, and the local app takes their writes; none by default (the template passes its
 *        {@code UploadsAllowedOrigins})
 */
@ConfigurationProperties("image-processor.uploads")
public record UploadProperties(@DefaultValue("5m") Duration urlExpiry, @DefaultValue("browser/") String keyPrefix,
        @DefaultValue("") String signingSecret, @DefaultValue("60s") Duration linkExpiry,
        @DefaultValue("false") boolean allowAnonymous, @DefaultValue List<String> allowedOrigins) {

    public UploadProperties {
        if (urlExpiry == null || !urlExpiry.isPositive() || urlExpiry.compareTo(Uploads.MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("image-processor.uploads.url-expiry must be positive and at most "
                    + Uploads.MAX_EXPIRY.toMinutes() + " minutes, got " + urlExpiry);
        }
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        if (keyPrefix.startsWith("/") || keyPrefix.contains("..") || !keyPrefix.matches("[A-Za-z0-9._/-]*")) {
            throw new IllegalArgumentException("image-processor.uploads.key-prefix may hold letters, digits, '.', "
                    + "'_', '-' and '/' (not leading, no '..'), got '" + keyPrefix + "'");
        }
        signingSecret = signingSecret == null ? "" : signingSecret;
        if (!signingSecret.isEmpty() && signingSecret.length() < 16) {
            throw new IllegalArgumentException("image-processor.uploads.signing-secret must be empty (random per run) "
                    + "or at least 16 characters");
        }
        if (linkExpiry == null || !linkExpiry.isPositive() || linkExpiry.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("image-processor.uploads.link-expiry must be positive and at most an "
                    + "hour, got " + linkExpiry);
        }
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        try {
            AllowedOrigins.of(allowedOrigins);
        }
        catch (IllegalArgumentException e) {
            // not chained: Spring Boot's start-up report shows the innermost cause, which names no property
            throw new IllegalArgumentException("image-processor.uploads.allowed-origins (IMAGE_PROCESSOR_UPLOADS_"
                    + "ALLOWED_ORIGINS, template parameter UploadsAllowedOrigins) holds " + e.getMessage());
        }
    }

    /** {@link #allowedOrigins} as the API compares them with a request's {@code Origin}. */
    public AllowedOrigins origins() {
        return AllowedOrigins.of(allowedOrigins);
    }
}
