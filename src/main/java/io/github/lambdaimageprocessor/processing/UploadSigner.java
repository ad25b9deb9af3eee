package io.github.lambdaimageprocessor.processing;

import java.time.Instant;

/**
 * Makes signed, expiring upload URLs: S3 presigned PUTs on AWS, this app's own signed route locally. Every header
 * named in the ticket is part of the signature, so the object stored is the one the request described.
 */
public interface UploadSigner {

    /**
     * @param object where the upload will be stored
     * @param contentType the Content-Type the client must send
     * @param contentLength the Content-Length the client must send
     * @param checksumSha256 the base64 SHA-256 the content must have, or null for none
     * @param expiresAt when the URL stops working
     */
    UploadTicket sign(ObjectRef object, String contentType, long contentLength, String checksumSha256,
            Instant expiresAt);
}
