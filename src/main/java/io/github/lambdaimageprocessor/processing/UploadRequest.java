package io.github.lambdaimageprocessor.processing;

/**
 * What a client asks for before it uploads: the body of {@code POST /uploads}. The client only names its file; the
 * server chooses the key.
 *
 * @param fileName the name of the client's file, shown back to it and kept in the key for readability
 * @param contentType the type the client will send; only {@code image/jpeg} is accepted
 * @param contentLength the exact number of bytes the client will send
 * @param checksumSha256 optional: the base64 SHA-256 of the content, signed into the URL so the store checks it
 */
public record UploadRequest(String fileName, String contentType, Long contentLength, String checksumSha256) {
}
