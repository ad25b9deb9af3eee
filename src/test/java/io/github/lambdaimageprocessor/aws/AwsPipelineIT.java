package io.github.lambdaimageprocessor.aws;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.S3Events;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.lambdaimageprocessor.function.S3Events.event;
import static io.github.lambdaimageprocessor.function.S3Events.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application in profile {@code aws} against moto: real photos and bad inputs go through the
 * {@code processImage} function and end up as thumbnails in S3, items in DynamoDB and messages on SNS (read from an SQS
 * queue subscribed to the topic), and a record of a bucket that is not the upload bucket ({@link AwsOutageIT} has the
 * infrastructure failures).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("aws")
class AwsPipelineIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    @Autowired
    @Qualifier("processImage")
    Function<org.springframework.messaging.Message<byte[]>, List<ProcessedImage>> processImage;

    private AwsFixture aws;

    @DynamicPropertySource
    static void awsProperties(DynamicPropertyRegistry registry) {
        AwsFixture.applicationProperties(moto.endpoint()).forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void resourcesForTheStart() {
        AwsFixture.createFresh(moto);
    }

    @BeforeEach
    void createResources() {
        aws = AwsFixture.create(moto);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, 2725, 2225, 256, 209", "valid/nikon-e950-444.jpg, 800, 600, 256, 192",
            "progressive/progressive-1201x800-444.jpg, 1201, 800, 256, 171",
            "edge-sizes/tall-49x500.jpg, 49, 500, 25, 256", "edge-sizes/16x16.jpg, 16, 16, 16, 16" })
    void aRealPhotoBecomesAThumbnailARecordAndANotification(String photo, int width, int height, int thumbWidth,
            int thumbHeight) {
        String key = "albums/2026/" + photo.substring(photo.lastIndexOf('/') + 1);
        aws.upload(key, TestImages.bytes(photo), "image/jpeg");

        List<ProcessedImage> results = processImage.apply(json(event(S3Events.record("ObjectCreated:Put",
                AwsFixture.UPLOADS, key.replace("/", "%2F")))));

        assertThat(results).singleElement().extracting(ProcessedImage::status).isEqualTo(Status.PROCESSED);
        ResponseBytes<GetObjectResponse> thumbnail = aws.s3
            .getObjectAsBytes(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/" + key));
        assertThat(thumbnail.response().contentType()).isEqualTo("image/jpeg");
        assertThat(thumbnail.response().metadata()).containsAllEntriesOf(ImageProcessor.OUTPUT_MARKER);
        assertThat(TestImages.decode(thumbnail.asByteArray())).satisfies(image -> {
            assertThat(image.getWidth()).isEqualTo(thumbWidth);
            assertThat(image.getHeight()).isEqualTo(thumbHeight);
        });

        Map<String, AttributeValue> item = aws.item(AwsFixture.UPLOADS + "/" + key);
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("sourceWidth").n()).isEqualTo(Integer.toString(width));
        assertThat(item.get("sourceHeight").n()).isEqualTo(Integer.toString(height));
        assertThat(item.get("sourceBytes").n()).isEqualTo(Integer.toString(TestImages.bytes(photo).length));
        assertThat(item.get("outputBucket").s()).isEqualTo(AwsFixture.PROCESSED);
        assertThat(item.get("outputKey").s()).isEqualTo("thumbnails/" + key);
        assertThat(item.get("outputBytes").n()).isEqualTo(Integer.toString(thumbnail.asByteArray().length));
        assertThat(item.get("eTag").s()).isEqualTo("abc");
        assertThat(item.get("sequencer").s()).isEqualTo("00A");
        assertThat(item).containsKey("processedAt").doesNotContainKey("reason");

        assertThat(aws.notifications(1)).singleElement().satisfies(notification -> {
            assertThat(notification.subject()).isEqualTo("Thumbnail ready: " + key.substring(key.lastIndexOf('/') + 1));
            assertThat(notification.message()).contains("s3://processed/thumbnails/" + key)
                .contains(thumbWidth + "x" + thumbHeight + " pixels");
            assertThat(notification.attributes()).containsEntry("status", "String:PROCESSED");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "not-jpeg/plain-text.jpg | not a JPEG: content is text",
            "not-jpeg/png-1x1.jpg | not a JPEG: content is PNG", "malformed/empty-0-bytes.jpg | not a JPEG: content is empty file",
            "malformed/missing-sof.jpg | not a decodable JPEG",
            "bomb/claims-65535x65535-186-bytes.jpg | pixels" })
    void badInputIsRecordedAndNotifiedAsRejectedWithoutAThumbnail(String file, String reason) {
        String key = "inbox/" + file.substring(file.lastIndexOf('/') + 1);
        aws.upload(key, TestImages.bytes(file), "image/jpeg");

        List<ProcessedImage> results = processImage.apply(json(event(S3Events.record("ObjectCreated:Put",
                AwsFixture.UPLOADS, key))));

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.REJECTED);
            assertThat(result.reason()).contains(reason);
        });
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED)).contents()).isEmpty();
        Map<String, AttributeValue> item = aws.item(AwsFixture.UPLOADS + "/" + key);
        assertThat(item.get("status").s()).isEqualTo("REJECTED");
        assertThat(item.get("reason").s()).contains(reason);
        assertThat(item).doesNotContainKeys("outputBucket", "outputKey");
        assertThat(aws.notifications(1)).singleElement().satisfies(notification -> {
            assertThat(notification.subject()).isEqualTo("Image rejected: " + key.substring(key.indexOf('/') + 1));
            assertThat(notification.message()).contains(reason);
            assertThat(notification.attributes()).containsEntry("status", "String:REJECTED");
        });
    }

    /**
     * A photo replaced at its key by a file that is rejected, in versioned buckets as the stack makes them: the earlier
     * photo's thumbnail is no longer served (a delete marker hides it), and a second delivery of the rejected upload's
     * event is a repeat that fails nothing.
     */
    @Test
    void aPhotoReplacedByAFileThatIsRejectedNoLongerHasAThumbnail() {
        for (String bucket : List.of(AwsFixture.UPLOADS, AwsFixture.PROCESSED)) {
            aws.s3.putBucketVersioning(request -> request.bucket(bucket)
                .versioningConfiguration(config -> config.status(BucketVersioningStatus.ENABLED)));
        }
        String key = "avatars/me.jpg";
        PutObjectResponse photo = aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key(key),
                RequestBody.fromBytes(TestImages.bytes(TestImages.CAMERA_PHOTO)));
        assertThat(processImage.apply(json(event(created(key, photo, "0A")))))
            .singleElement()
            .extracting(ProcessedImage::status)
            .isEqualTo(Status.PROCESSED);
        assertThat(aws.s3.headObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/" + key))
            .metadata()).containsAllEntriesOf(ImageProcessor.OUTPUT_MARKER);

        PutObjectResponse replacement = aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key(key),
                RequestBody.fromBytes(TestImages.bytes("not-jpeg/plain-text.jpg")));
        String rejectedEvent = event(created(key, replacement, "0B"));
        List<ProcessedImage> rejected = processImage.apply(json(rejectedEvent));
        List<ProcessedImage> repeated = processImage.apply(json(rejectedEvent));

        assertThat(rejected).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.REJECTED);
            assertThat(result.reason()).isEqualTo("not a JPEG: content is text");
        });
        assertThat(repeated).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(Status.SKIPPED);
            assertThat(result.reason()).startsWith("already processed");
        });
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED)).contents()).isEmpty();
        assertThat(aws.s3.listObjectVersions(request -> request.bucket(AwsFixture.PROCESSED)).deleteMarkers())
            .singleElement()
            .satisfies(marker -> assertThat(marker.key()).isEqualTo("thumbnails/" + key));
        Map<String, AttributeValue> item = aws.item(AwsFixture.UPLOADS + "/" + key);
        assertThat(item.get("status").s()).isEqualTo("REJECTED");
        assertThat(item.get("versionId").s()).isEqualTo(replacement.versionId());
        assertThat(item).doesNotContainKeys("outputBucket", "outputKey");
        assertThat(aws.notifications(2)).extracting(AwsFixture.Notification::subject)
            .containsExactly("Thumbnail ready: me.jpg", "Image rejected: me.jpg");
    }

    /** The record S3 sends for an object written to the upload bucket, naming its version. */
    private static String created(String key, PutObjectResponse written, String sequencer) {
        return """
                {"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                 "s3":{"bucket":{"name":"%s"},"object":{"key":"%s","size":1000,"eTag":"%s","versionId":"%s",
                 "sequencer":"%s"}}}""".formatted(AwsFixture.UPLOADS, key.replace("/", "%2F"),
                ObjectVersion.bareETag(written.eTag()), written.versionId(), sequencer);
    }

    @Test
    void aRecordOfAnotherBucketIsRejectedUnreadAndTheOtherRecordsAreProcessed() {
        aws.upload("first.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        aws.upload("last.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        String records = event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "first.jpg"),
                S3Events.record("ObjectCreated:Put", "bucket-that-does-not-exist", "middle.jpg"),
                S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "last.jpg"));

        List<ProcessedImage> results = processImage.apply(json(records));

        assertThat(results).extracting(ProcessedImage::status)
            .containsExactly(Status.PROCESSED, Status.REJECTED, Status.PROCESSED);
        assertThat(results.get(1).reason()).startsWith("the event names bucket bucket-that-does-not-exist, not "
                + "the upload bucket uploads");
        assertThat(aws.item("bucket-that-does-not-exist/middle.jpg")).isEmpty();
        assertThat(aws.notifications(2)).extracting(AwsFixture.Notification::subject)
            .containsExactlyInAnyOrder("Thumbnail ready: first.jpg", "Thumbnail ready: last.jpg");
    }
}
