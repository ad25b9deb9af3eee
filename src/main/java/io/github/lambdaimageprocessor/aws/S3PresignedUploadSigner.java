package io.github.lambdaimageprocessor.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.UploadSigner;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * S3 presigned PUTs with {@link S3Presigner}, signing every header that pins the upload down: Content-Type,
 * Content-Length and, when the client gave one, {@code x-amz-checksum-sha256}. S3 then refuses (403
 * SignatureDoesNotMatch) a request with another size or type, and (400 BadDigest) content with another checksum.
 * (Spring Cloud AWS's {@code S3Template.createSignedPutURL} returns the URL only, without the headers the client must
 * send, and the AWS SDK has no presigned POST with a {@code content-length-range}.)
 */
class S3PresignedUploadSigner implements UploadSigner {

    private final S3Presigner presigner;

    private final Clock clock;

    S3PresignedUploadSigner(S3Presigner presigner, Clock clock) {
        this.presigner = presigner;
        this.clock = clock;
    }

    @Override
    public UploadTicket sign(ObjectRef object, String contentType, long contentLength, String checksumSha256,
            Instant expiresAt) {
        Duration validFor = Duration.between(clock.instant(), expiresAt);
        PresignedPutObjectRequest presigned;
        try {
            presigned = presigner.presignPutObject(request -> request.signatureDuration(validFor)
                .putObjectRequest(put -> put.bucket(object.bucket())
                    .key(object.key())
                    .contentType(contentType)
                    .contentLength(contentLength)
                    .checksumSHA256(checksumSha256)
                    // once: a second PUT with the same URL is refused (412) rather than replacing the upload,
                    // reprocessing and notifying again as often as the URL's lifetime allows
                    .ifNoneMatch("*")));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "PutObject", "Failed to presign an upload to " + object, e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        presigned.signedHeaders().forEach((name, values) -> {
            // the client's HTTP stack sets Host from the URL
            if (!"host".equalsIgnoreCase(name)) {
                headers.put(canonicalName(name), String.join(",", values));
            }
        });
        return new UploadTicket(object.key(), presigned.url().toString(), "PUT", headers, presigned.expiration());
    }

    private static String canonicalName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "content-type" -> "Content-Type";
            case "content-length" -> "Content-Length";
            case "if-none-match" -> "If-None-Match";
            default -> name;
        };
    }

    static List<String> signedHeaderNames(String url) {
        String query = url.substring(url.indexOf('?') + 1);
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("X-Amz-SignedHeaders=")) {
                return List.of(java.net.URLDecoder
                    .decode(parameter.substring("X-Amz-SignedHeaders=".length()), java.nio.charset.StandardCharsets.UTF_8)
                    .split(";"));
            }
        }
        return List.of();
    }
}
