package io.github.lambdaimageprocessor.aws;

import java.time.Clock;
import java.util.List;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ObjectArchivedException;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Originals the upload bucket's lifecycle rule moved to another storage class (template.yaml, ArchiveStorageClass),
 * against moto, which answers GetObject on GLACIER and DEEP_ARCHIVE objects with {@code InvalidObjectState} as S3
 * does: Glacier Instant Retrieval stays readable; the archive classes are a REJECTED outcome that says a restore is
 * needed, never a failure that Lambda would retry three times and then park in the failure queue.
 */
class ArchivedUploadsIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private ImageProcessor processor;

    @BeforeEach
    void createResources() {
        aws = AwsFixture.create(moto);
        processor = new ImageProcessor(new S3ImageStore(aws.s3), new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE), new SnsNotifier(aws.sns, aws.topicArn),
                new OutputLocation(AwsFixture.PROCESSED, "thumbnails/"), 50_000_000, Clock.systemUTC());
    }

    private void upload(String key, StorageClass storageClass) {
        aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key(key).contentType("image/jpeg")
            .storageClass(storageClass), RequestBody.fromBytes(TestImages.bytes(TestImages.PHOTO)));
    }

    @Test
    void anOriginalInGlacierInstantRetrievalIsProcessedLikeAnyOther() {
        upload("instant.jpg", StorageClass.GLACIER_IR);

        ProcessedImage result = processor.process(UploadEvent.of(new ObjectRef(AwsFixture.UPLOADS, "instant.jpg")));

        assertThat(result.status()).isEqualTo(Status.PROCESSED);
    }

    @Test
    void theStoreReportsAnObjectThatNeedsARestoreWithItsStorageClass() {
        upload("flexible.jpg", StorageClass.GLACIER);
        S3ImageStore store = new S3ImageStore(aws.s3);

        assertThatExceptionOfType(ObjectArchivedException.class)
            .isThrownBy(() -> store.read(new ObjectRef(AwsFixture.UPLOADS, "flexible.jpg")))
            .withMessage("s3://uploads/flexible.jpg is archived in storage class GLACIER and must be restored before "
                    + "it can be read")
            .satisfies(e -> assertThat(e.storageClass()).isEqualTo("GLACIER"));
    }

    @Test
    void anOriginalInAnArchiveClassIsRejectedRecordedAndNotifiedNotRetried() {
        for (StorageClass archive : List.of(StorageClass.GLACIER, StorageClass.DEEP_ARCHIVE)) {
            String key = "archived-" + archive + ".jpg";
            upload(key, archive);

            ProcessedImage result = processor.process(UploadEvent.of(new ObjectRef(AwsFixture.UPLOADS, key)));

            assertThat(result.status()).as(key).isEqualTo(Status.REJECTED);
            assertThat(result.reason()).as(key).isEqualTo("object is archived in storage class " + archive
                    + " and must be restored (S3 RestoreObject) before it can be read");
            assertThat(aws.item(AwsFixture.UPLOADS + "/" + key).get("status").s()).isEqualTo("REJECTED");
        }
        assertThat(aws.notifications(2)).extracting(n -> n.attributes().get("status"))
            .containsOnly("String:REJECTED");
    }
}
