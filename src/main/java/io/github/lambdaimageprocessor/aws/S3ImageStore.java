package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.ListedObject;
import io.github.lambdaimageprocessor.processing.ObjectArchivedException;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectTooLargeException;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.StoredObject;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in S3. Keys are used exactly as given: they arrive URL-decoded from the function, and the SDK encodes them
 * for the wire itself.
 */
class S3ImageStore implements ImageStore {

    /** The largest byte array a JVM allocates; an object larger still is refused by its size. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** S3's own maximum (and default) page size for ListObjectsV2. */
    static final int MAX_PAGE_SIZE = 1000;

    private final S3Client s3;

    private final int listPageSize;

    S3ImageStore(S3Client s3) {
        this(s3, MAX_PAGE_SIZE);
    }

    /** @param listPageSize keys per ListObjectsV2 page, 1 to 1000 (smaller only to test pagination) */
    S3ImageStore(S3Client s3, int listPageSize) {
        if (listPageSize < 1 || listPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("list page size must be 1 to 1000, got " + listPageSize);
        }
        this.s3 = s3;
        this.listPageSize = listPageSize;
    }

    /**
     * {@code ListObjectsV2}, one page per request as the stream reaches it (the SDK's paginator follows the
     * continuation token). A failing page request surfaces from the stream as {@link AwsCallFailedException}.
     */
    @Override
    public Stream<ListedObject> list(String bucket, String prefix) {
        String listing = "Failed to list s3://" + bucket + "/" + prefix;
        Iterator<ListedObject> listed = new Iterator<>() {
            private Iterator<S3Object> objects;

            @Override
            public boolean hasNext() {
                try {
                    if (objects == null) {
                        // the paginator fetches the first page as soon as it is iterated. Keys URL-encoded (the
                        // SDK decodes them): S3 allows U+0001 to U+001F in a key, which XML 1.0 cannot carry, and
                        // one such key would fail every page after it, so the whole backfill
                        objects = s3
                            .listObjectsV2Paginator(request -> request.bucket(bucket)
                                .prefix(prefix)
                                .maxKeys(listPageSize)
                                .encodingType(EncodingType.URL))
                            .contents()
                            .iterator();
                    }
                    return objects.hasNext();
                }
                catch (SdkException e) {
                    throw new AwsCallFailedException("S3", "ListObjectsV2", listing, e);
                }
            }

            @Override
            public ListedObject next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                S3Object object = objects.next();
                return new ListedObject(new ObjectRef(bucket, object.key()), object.eTag(), null, object.size());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listed, Spliterator.ORDERED), false);
    }

    /**
     * A streamed {@code GetObject} (of the named version when there is one). When the response announces the size
     * (Content-Length), an object over {@code maxBytes} is refused without downloading it; when it does not (a chunked
     * response, which S3-compatible servers and proxies may send), at most {@code maxBytes} plus one byte is read, and
     * that one byte more refuses it: memory never follows what the server chooses to send.
     */
    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
        return read(ref, versionId, maxBytes, 0, head -> true);
    }

    /**
     * One {@code GetObject} either way: the head is the start of the same download, which is aborted when the head is
     * refused (the connection is lost, not the rest of the object downloaded), so a photo costs no second request.
     */
    @Override
    public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes, int headBytes,
            Predicate<byte[]> worthReading) {
        // S3 holds no such key (KeyTooLongError): bad input, not an outage to retry
        checkWritable(ref);
        try (ResponseInputStream<GetObjectResponse> object = s3
            .getObject(request -> request.bucket(ref.bucket()).key(ref.key()).versionId(versionId))) {
            GetObjectResponse response = object.response();
            if (response.contentLength() != null && response.contentLength() > maxBytes) {
                object.abort();
                throw new ObjectTooLargeException(ref, response.contentLength());
            }
            // readNBytes grows its buffer as data arrives, so nothing is allocated for bytes never sent
            int limit = (int) Math.min(maxBytes, MAX_ARRAY_LENGTH - 1);
            byte[] head = object.readNBytes(Math.min(headBytes, limit + 1));
            if (head.length == headBytes && response.contentLength() != null && response.contentLength() > headBytes
                    && !worthReading.test(head)) {
                object.abort();
                return Optional.of(new StoredObject(head, response.contentType(), response.metadata(),
                        response.eTag(), response.contentLength()));
            }
            // the head read again from memory: readNBytes assembles one array whatever it reads from
            byte[] content = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), object)
                .readNBytes(limit + 1);
            if (content.length > limit) {
                object.abort();
                throw ObjectTooLargeException.moreThan(ref, limit);
            }
            return Optional.of(new StoredObject(content, response.contentType(), response.metadata(),
                    response.eTag()));
        }
        catch (InvalidObjectStateException e) {
            // GLACIER, DEEP_ARCHIVE or an archive tier: only a restore makes it readable, so no retry can help
            throw new ObjectArchivedException(ref, e.storageClassAsString());
        }
        catch (NoSuchKeyException e) {
            // deleted (or overwritten by a delete marker) between the event and this read: nothing to do
            return Optional.empty();
        }
        catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchVersion".equals(code)) {
                // that version was deleted before we got to it
                return Optional.empty();
            }
            throw new AwsCallFailedException("S3", "GetObject", "Failed to read " + ref, e);
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "GetObject", "Failed to read " + ref, e);
        }
        catch (IOException e) {
            throw new AwsCallFailedException("S3", "GetObject", "Failed to read " + ref + ": the download broke off",
                    e);
        }
    }

    /**
     * A {@code HeadObject}: nothing downloaded, and the connection kept (a read aborted after its headers costs the
     * connection). A 404 is an answer once the bucket is known to exist.
     */
    @Override
    public boolean exists(ObjectRef ref) {
        checkWritable(ref);
        return head(ref, null, "Failed to look up " + ref).isPresent();
    }

    /** A {@code HeadObject}, which answers for archived objects too, and downloads nothing. */
    @Override
    public Optional<String> eTagOf(ObjectRef ref, String versionId) {
        checkWritable(ref);
        return head(ref, versionId, "Failed to look up " + ref).map(HeadObjectResponse::eTag);
    }

    /** A {@code HeadObject}: the metadata comes with the headers, nothing is downloaded. */
    @Override
    public Optional<Map<String, String>> metadataOf(ObjectRef ref) {
        checkWritable(ref);
        return head(ref, null, "Failed to look up " + ref).map(HeadObjectResponse::metadata);
    }

    /** A {@code HeadObject} of the current version; a bucket that reports no version ids keeps no versions. */
    @Override
    public boolean isCurrentVersion(ObjectRef ref, String versionId) {
        return head(ref, null, "Failed to look up the current version of " + ref)
            .map(current -> current.versionId() == null || current.versionId().equals(versionId))
            .orElse(false);
    }

    /**
     * A {@code HeadObject} of the version (the current one when null); empty for a 404. A HEAD has no body to name the
     * error: the key is gone, its current version is a delete marker, or the bucket itself is missing, which is no
     * answer but a failure, as a read's is.
     */
    private Optional<HeadObjectResponse> head(ObjectRef ref, String versionId, String failure) {
        try {
            return Optional.of(s3.headObject(request -> request.bucket(ref.bucket()).key(ref.key())
                .versionId(versionId)));
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                requireBucket(ref);
                return Optional.empty();
            }
            throw new AwsCallFailedException("S3", "HeadObject", failure, e);
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "HeadObject", failure, e);
        }
    }

    private void requireBucket(ObjectRef ref) {
        try {
            s3.headBucket(request -> request.bucket(ref.bucket()));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "HeadBucket", "Failed to look up " + ref, e);
        }
    }

    /** S3 refuses longer keys; a thumbnail key is the source key plus a prefix, so it can overflow. */
    @Override
    public void checkWritable(ObjectRef ref) {
        ref.requireKeyWithinLimit();
    }

    @Override
    public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
        checkWritable(ref);
        try {
            return ObjectVersion.bareETag(s3.putObject(request -> request.bucket(ref.bucket())
                .key(ref.key())
                .contentType(contentType)
                .metadata(metadata), RequestBody.fromBytes(content)).eTag());
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "PutObject", "Failed to write " + ref, e);
        }
    }

    /** A {@code DeleteObject}, which S3 answers 204 for a missing key too (a delete marker in a versioned bucket). */
    @Override
    public void delete(ObjectRef ref) {
        checkWritable(ref);
        try {
            s3.deleteObject(request -> request.bucket(ref.bucket()).key(ref.key()));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("S3", "DeleteObject", "Failed to delete " + ref, e);
        }
    }
}
