package io.github.lambdaimageprocessor.aws;

import java.net.URI;
import java.time.Duration;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ThumbnailLinks;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned GETs of thumbnails: the processed bucket stays private, a client reads one object for a short while. */
class S3ThumbnailLinks implements ThumbnailLinks {

    private final S3Presigner presigner;

    private final Duration validFor;

    S3ThumbnailLinks(S3Presigner presigner, Duration validFor) {
        this.presigner = presigner;
        this.validFor = validFor;
    }

    @Override
    public URI linkTo(ObjectRef thumbnail) {
        try {
            return URI.create(presigner
                .presignGetObject(request -> request.signatureDuration(validFor)
                    .getObjectRequest(get -> get.bucket(thumbnail.bucket()).key(thumbnail.key())))
                .url()
                .toString());
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "GetObject", "Failed to presign a read of " + thumbnail, e);
        }
    }
}
