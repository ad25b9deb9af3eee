package io.github.lambdaimageprocessor.processing;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Permission to upload one object once: the answer to {@code POST /uploads}. The client sends exactly {@code method}
 * to {@code url} with exactly {@code headers}; anything else (another length, type or checksum, or after
 * {@code expiresAt}) is refused by whoever checks the signature (S3, or the local server), and so is a second upload
 * with the same URL (412: the signed {@code If-None-Match: *} on S3).
 *
 * @param key the object key the upload will have, under which its status and thumbnail are found
 * @param url where to send the content; relative when it is this server's own upload route
 * @param method always {@code PUT}
 * @param headers the headers to send with it, every one of them signed by S3's presigner (the local route signs the
 *        same ones but {@code If-None-Match}, which it enforces on every upload)
 * @param expiresAt after this instant the URL is refused
 */
public record UploadTicket(String key, String url, String method, Map<String, String> headers, Instant expiresAt) {

    public UploadTicket {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
