package io.github.lambdaimageprocessor.aws;

import java.util.Map;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.ImageStoreContract;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The image store contract, and what is particular to S3, against moto over the S3 wire protocol. */
class S3ImageStoreIT extends ImageStoreContract {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private S3Client s3;

    private S3ImageStore store;

    @BeforeEach
    void createBucket() {
        s3 = moto.s3();
        s3.createBucket(request -> request.bucket("uploads"));
        store = new S3ImageStore(s3);
    }

    @Override
    protected ImageStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return "uploads";
    }

    @Test
    void listsEveryPageOfAPrefixThatSpansSeveralPages() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            s3.putObject(request -> request.bucket(bucket()).key("paged/" + n + ".jpg"),
                    RequestBody.fromBytes(new byte[n + 1]));
        }
        S3ImageStore pagesOfTwo = new S3ImageStore(s3, 2);

        try (java.util.stream.Stream<io.github.lambdaimageprocessor.processing.ListedObject> listed = pagesOfTwo
            .list(bucket(), "paged/")) {
            assertThat(listed.map(object -> object.ref().key() + "=" + object.size())).containsExactly("paged/0.jpg=1",
                    "paged/1.jpg=2", "paged/2.jpg=3", "paged/3.jpg=4", "paged/4.jpg=5", "paged/5.jpg=6",
                    "paged/6.jpg=7");
        }
    }

    @Test
    void listsKeysHoldingCharactersXmlCannotCarry() {
        // S3 allows any UTF-8 in a key; a listing's XML cannot carry U+0001 to U+001F (but tab, CR and LF) unless
        // the keys come URL-encoded, and one such key would fail the whole listing, so a whole backfill
        for (String key : java.util.List.of("odd/ctl\u0001.jpg", "odd/esc\u001B.jpg", "odd/sp ace+plus%41.jpg",
                "odd/\u00fc.jpg")) {
            s3.putObject(request -> request.bucket(bucket()).key(key), RequestBody.fromBytes(new byte[] { 1 }));
        }

        try (java.util.stream.Stream<io.github.lambdaimageprocessor.processing.ListedObject> listed = store
            .list(bucket(), "odd/")) {
            assertThat(listed.map(object -> object.ref().key())).containsExactlyInAnyOrder("odd/ctl\u0001.jpg",
                    "odd/esc\u001B.jpg", "odd/sp ace+plus%41.jpg", "odd/\u00fc.jpg");
        }
    }

    @Test
    void anObjectInGlacierIsArchivedNotAFailure() {
        s3.putObject(request -> request.bucket(bucket())
            .key("cold.jpg")
            .storageClass(software.amazon.awssdk.services.s3.model.StorageClass.GLACIER),
                RequestBody.fromBytes(new byte[] { 1 }));

        assertThatExceptionOfType(io.github.lambdaimageprocessor.processing.ObjectArchivedException.class)
            .isThrownBy(() -> store.read(new ObjectRef(bucket(), "cold.jpg")))
            .withMessageContaining("s3://uploads/cold.jpg")
            .withMessageContaining("restored");
    }

    @Test
    void givesTheETagOfAnArchivedObjectOrOfAVersionWithoutDownloadingIt() {
        s3.putObject(request -> request.bucket(bucket())
            .key("cold.jpg")
            .storageClass(software.amazon.awssdk.services.s3.model.StorageClass.GLACIER),
                RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
        s3.putBucketVersioning(request -> request.bucket(bucket())
            .versioningConfiguration(config -> config.status(BucketVersioningStatus.ENABLED)));
        String first = s3.putObject(request -> request.bucket(bucket()).key("v.jpg"),
                RequestBody.fromBytes(new byte[] { 1 })).versionId();
        s3.putObject(request -> request.bucket(bucket()).key("v.jpg"), RequestBody.fromBytes(new byte[] { 2 }));

        assertThat(store.eTagOf(new ObjectRef(bucket(), "cold.jpg"), null).map(ObjectVersion::bareETag))
            .contains("5289df737df57326fcdd22597afb1fac");
        assertThat(store.eTagOf(new ObjectRef(bucket(), "v.jpg"), first).map(ObjectVersion::bareETag))
            .contains("55a54008ad1ba589aa210d2629c1df41");
        assertThat(store.eTagOf(new ObjectRef(bucket(), "never.jpg"), null)).isEmpty();
        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> store.eTagOf(new ObjectRef("no-such-bucket", "a.jpg"), null));
        // the same HeadObject tells whether a thumbnail is in place
        assertThat(store.exists(new ObjectRef(bucket(), "cold.jpg"))).isTrue();
        assertThat(store.exists(new ObjectRef(bucket(), "never.jpg"))).isFalse();
        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> store.exists(new ObjectRef("no-such-bucket", "a.jpg")));
    }

    @Test
    void aDeleteInAVersionedBucketHidesTheObjectBehindADeleteMarkerAndAMissingBucketFails() {
        // the stack's processed bucket is versioned (replication needs it): a thumbnail removed there is gone for every
        // plain read, kept as a noncurrent version until its lifecycle rule expires it
        s3.putBucketVersioning(request -> request.bucket(bucket())
            .versioningConfiguration(config -> config.status(BucketVersioningStatus.ENABLED)));
        ObjectRef ref = new ObjectRef(bucket(), "thumbnails/photo.jpg");
        store.write(ref, new byte[] { 1 }, "image/jpeg", Map.of("processed-by", "lambda-image-processor"));

        store.delete(ref);
        store.delete(ref);

        assertThat(store.read(ref)).isEmpty();
        assertThat(store.metadataOf(ref)).isEmpty();
        assertThat(s3.listObjectVersions(request -> request.bucket(bucket()).prefix("thumbnails/")).deleteMarkers())
            .isNotEmpty()
            .allSatisfy(marker -> assertThat(marker.key()).isEqualTo("thumbnails/photo.jpg"));
        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> store.delete(new ObjectRef("no-such-bucket", "thumbnails/a.jpg")))
            .withMessageContaining("Failed to delete s3://no-such-bucket/thumbnails/a.jpg");
    }

    @Test
    void aListingOfAMissingBucketFailsNamingIt() {
        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> store.list("no-such-bucket", "").toList())
            .withMessageContaining("s3://no-such-bucket/")
            .withMessageContaining("NoSuchBucket");
    }

    @Test
    void readsTheVersionAnEventNamesNotTheLatestOne() {
        s3.putBucketVersioning(request -> request.bucket(bucket())
            .versioningConfiguration(config -> config.status(BucketVersioningStatus.ENABLED)));
        String first = s3.putObject(request -> request.bucket(bucket()).key("v.jpg"),
                RequestBody.fromBytes(new byte[] { 1 })).versionId();
        s3.putObject(request -> request.bucket(bucket()).key("v.jpg"), RequestBody.fromBytes(new byte[] { 2 }));
        ObjectRef ref = new ObjectRef(bucket(), "v.jpg");

        assertThat(store.read(ref, first, 100).orElseThrow().content()).containsExactly(1);
        assertThat(store.read(ref, null, 100).orElseThrow().content()).containsExactly(2);
        s3.deleteObject(request -> request.bucket(bucket()).key("v.jpg").versionId(first));
        assertThat(store.read(ref, first, 100)).isEmpty();
    }

    @Test
    void tellsTheCurrentVersionFromAnOlderOneAndFromADeletedObject() {
        ObjectRef ref = new ObjectRef(bucket(), "current.jpg");
        s3.putObject(request -> request.bucket(bucket()).key(ref.key()), RequestBody.fromBytes(new byte[] { 0 }));
        assertThat(store.isCurrentVersion(ref, "anything")).as("a bucket without versioning names none").isTrue();
        s3.putBucketVersioning(request -> request.bucket(bucket())
            .versioningConfiguration(config -> config.status(BucketVersioningStatus.ENABLED)));
        String first = s3.putObject(request -> request.bucket(bucket()).key(ref.key()),
                RequestBody.fromBytes(new byte[] { 1 })).versionId();
        String second = s3.putObject(request -> request.bucket(bucket()).key(ref.key()),
                RequestBody.fromBytes(new byte[] { 2 })).versionId();

        assertThat(store.isCurrentVersion(ref, first)).isFalse();
        assertThat(store.isCurrentVersion(ref, second)).isTrue();
        s3.deleteObject(request -> request.bucket(bucket()).key(ref.key()));
        assertThat(store.isCurrentVersion(ref, second)).as("behind a delete marker").isFalse();
        assertThat(store.isCurrentVersion(new ObjectRef(bucket(), "never.jpg"), second)).isFalse();
        assertThatExceptionOfType(AwsCallFailedException.class)
            .as("a missing bucket is no answer about versions")
            .isThrownBy(() -> store.isCurrentVersion(new ObjectRef("no-such-bucket", "a.jpg"), second));
    }

    @Test
    void aKeyLongerThanS3HoldsIsBadInputNotAnOutage() {
        assertThatExceptionOfType(io.github.lambdaimageprocessor.processing.InvalidObjectKeyException.class)
            .isThrownBy(() -> store.read(new ObjectRef(bucket(), "k".repeat(1025)), null, 100))
            .withMessageContaining("1024");
    }

    @Test
    void writesContentTypeAndUserMetadataAsS3ObjectHeaders() {
        store.write(new ObjectRef("uploads", "thumbnails/a b.jpg"), new byte[] { 1 }, "image/jpeg",
                Map.of("processed-by", "lambda-image-processor"));

        HeadObjectResponse head = s3.headObject(request -> request.bucket("uploads").key("thumbnails/a b.jpg"));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.metadata()).containsEntry("processed-by", "lambda-image-processor");
    }

    @Test
    void usesTheKeyRawSoAnAlreadyDecodedKeyIsNotDecodedTwice() {
        // "a%2Bb.jpg" decoded once is "a+b.jpg"; decoding it again would read "a b.jpg"
        s3.putObject(request -> request.bucket("uploads").key("a+b.jpg"), RequestBody.fromBytes(new byte[] { 7 }));

        assertThat(store.read(new ObjectRef("uploads", "a+b.jpg"))).hasValueSatisfying(
                object -> assertThat(object.content()).containsExactly(7));
        assertThat(store.read(new ObjectRef("uploads", "a b.jpg"))).isEmpty();
    }

    @Test
    void refusesAKeyOverS3sLimitAsBadInputWithoutCallingS3() {
        String key = "thumbnails/" + "é".repeat(507); // 11 + 1014 bytes of UTF-8

        assertThatExceptionOfType(InvalidObjectKeyException.class)
            .isThrownBy(() -> store.write(new ObjectRef("uploads", key), new byte[] { 1 }, "image/jpeg", Map.of()))
            .withMessageContaining("1024 bytes");
    }

    @Test
    void aMissingBucketIsAnInfrastructureFailureThatNamesTheObject() {
        ObjectRef ref = new ObjectRef("no-such-bucket", "photo.jpg");

        assertThatExceptionOfType(AwsCallFailedException.class).isThrownBy(() -> store.read(ref))
            .withMessageStartingWith("Failed to read s3://no-such-bucket/photo.jpg")
            .withMessageContaining("NoSuchBucket");
        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> store.write(ref, new byte[] { 1 }, "image/jpeg", Map.of()))
            .withMessageStartingWith("Failed to write s3://no-such-bucket/photo.jpg");
    }
}
