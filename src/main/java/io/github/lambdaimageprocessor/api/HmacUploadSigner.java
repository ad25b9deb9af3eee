package io.github.lambdaimageprocessor.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.UploadSigner;
import io.github.lambdaimageprocessor.processing.UploadTicket;

/**
 * Signed upload URLs for the local runtime, pointing at this app's own {@code PUT /local-uploads/<key>}: what S3
 * presigned PUTs are on AWS. The signature is an HMAC-SHA256 over the key, content type, length, checksum and expiry,
 * so changing any of them (or the URL) makes the upload fail, and {@link #verify} checks all of them before anything
 * is stored.
 */
public final class HmacUploadSigner implements UploadSigner {

    public static final String ROUTE = "/local-uploads/";

    /** The checksum header S3 uses; the local route takes the same, so one client works against both. */
    public static final String CHECKSUM_HEADER = "x-amz-checksum-sha256";

    private final byte[] secret;

    private final Clock clock;

    public HmacUploadSigner(byte[] secret, Clock clock) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the upload signing secret must be at least 16 bytes");
        }
        this.secret = secret.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public UploadTicket sign(ObjectRef object, String contentType, long contentLength, String checksumSha256,
            Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        String signature = signature(object, contentType, contentLength, checksumSha256, expires);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Long.toString(contentLength));
        if (checksumSha256 != null) {
            headers.put(CHECKSUM_HEADER, checksumSha256);
        }
        // the same headers as an S3 ticket; the local route makes every upload once whether it is sent or not
        headers.put("If-None-Match", "*");
        // a server-chosen key may hold letters of any script, percent-encoded as UTF-8 like any key's path
        return new UploadTicket(object.key(), ROUTE + ImageApi.pathOf(object.key()) + "?expires=" + expires + "&signature="
                + signature, "PUT", headers, Instant.ofEpochSecond(expires));
    }

    /**
     * Checks a request against its signature before its content is read, in the order S3 does: a missing or
     * malformed signature, an expired URL, then anything the client changed (key, type, length, checksum, expiry).
     *
     * @throws ApiException 403 when the signature is missing, expired or does not match the request
     */
    public void verify(ObjectRef object, String contentType, long contentLength, String checksumSha256,
            String expires, String signature) {
        if (expires == null || signature == null || !expires.matches("\\d{1,12}")) {
            throw ApiException.forbidden("This upload URL is not signed: ask POST /uploads for one");
        }
        long expiresAt = Long.parseLong(expires);
        if (clock.instant().getEpochSecond() > expiresAt) {
            throw ApiException.forbidden("This upload URL expired at " + Instant.ofEpochSecond(expiresAt)
                    + ": ask POST /uploads for a new one");
        }
        String expected = signature(object, contentType, contentLength, checksumSha256, expiresAt);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            throw ApiException.forbidden("The request does not match the signed upload URL: send exactly the method, "
                    + "Content-Type, Content-Length and checksum that POST /uploads answered, to the URL unchanged");
        }
    }

    /**
     * Checks the content received against the length and checksum the verified request announced.
     *
     * @throws ApiException 400 when it differs
     */
    public void verifyContent(long contentLength, String checksumSha256, byte[] content) {
        if (content.length != contentLength) {
            throw ApiException.badRequest("Received " + content.length + " bytes, signed for " + contentLength);
        }
        if (checksumSha256 != null) {
            String actual = Base64.getEncoder().encodeToString(sha256(content));
            if (!actual.equals(checksumSha256)) {
                throw ApiException.badRequest("The content's SHA-256 is " + actual + ", signed for " + checksumSha256);
            }
        }
    }

    private String signature(ObjectRef object, String contentType, long contentLength, String checksumSha256,
            long expires) {
        String canonical = String.join("\n", "PUT", object.bucket(), object.key(),
                contentType == null ? "" : contentType, Long.toString(contentLength),
                checksumSha256 == null ? "" : checksumSha256, Long.toString(expires));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
