package io.github.lambdaimageprocessor.aws;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.image.ImageStore;
import io.github.lambdaimageprocessor.image.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.image.ObjectRef;
import io.github.lambdaimageprocessor.image.StoredObject;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects in S3. Keys are used exactly as given: they arrive URL-decoded from the function, and the SDK encodes them
 * for the wire itself.
 */
class S3ImageStore implements ImageStore {

    /** S3 refuses longer keys (UTF-8 bytes); a thumbnail key is the source key plus a prefix, so it can overflow. */
    static final int MAX_KEY_BYTES = 1024;

    private final S3Client s3;

    S3ImageStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<StoredObject> read(ObjectRef ref) {
        try {
            ResponseBytes<GetObjectResponse> object = s3
                .getObjectAsBytes(request -> request.bucket(ref.bucket()).key(ref.key()));
            GetObjectResponse response = object.response();
            return Optional.of(new StoredObject(object.asByteArrayUnsafe(), response.contentType(),
                    response.metadata()));
        }
        catch (NoSuchKeyException e) {
            // deleted (or overwritten by a delete marker) between the event and this read: nothing to do
            return Optional.empty();
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("Failed to read " + ref, e);
        }
    }

    @Override
    public void write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
        if (ref.key().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            // bad input rather than an outage: a retry would fail the same way
            throw new InvalidObjectKeyException(
                    "key of " + ref + " is longer than S3's limit of " + MAX_KEY_BYTES + " bytes");
        }
        try {
            s3.putObject(request -> request.bucket(ref.bucket())
                .key(ref.key())
                .contentType(contentType)
                .metadata(metadata), RequestBody.fromBytes(content));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("Failed to write " + ref, e);
        }
    }
}
