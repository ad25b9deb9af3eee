package io.github.lambdaimageprocessor.aws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.S3EventFunction;
import io.github.lambdaimageprocessor.function.S3Events;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MutableClock;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Duplicate, late and failed deliveries against moto: every upload ends with exactly one thumbnail, one record and
 * one notification, however often and in whatever order its event arrives, and nothing is lost when a dependency
 * fails.
 */
class ExactlyOnceAwsIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private ExecutorService pool;

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-26T00:00:00Z"));

    /** PutItem calls for ids containing "flaky" that still fail before DynamoDB sees them. */
    private final AtomicInteger dynamoDbFailuresLeft = new AtomicInteger();

    /** Claims given back ({@code UpdateItem} of {@code processedAt}) that still fail before DynamoDB sees them. */
    private final AtomicInteger releaseFailuresLeft = new AtomicInteger();

    private S3EventFunction function;

    @BeforeEach
    void createResourcesAndFunction() {
        aws = AwsFixture.create(moto);
        pool = Executors.newFixedThreadPool(2);
        DynamoDbClient flakyDynamoDb = DynamoDbClient.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(config -> config.addExecutionInterceptor(new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    if (context.request() instanceof PutItemRequest put
                            && put.item().get("id").s().contains("flaky")
                            && dynamoDbFailuresLeft.getAndDecrement() > 0) {
                        throw SdkClientException.create("injected: DynamoDB unreachable");
                    }
                    if (context.request() instanceof UpdateItemRequest update
                            && update.updateExpression().contains("processedAt")
                            && releaseFailuresLeft.getAndDecrement() > 0) {
                        throw SdkClientException.create("injected: DynamoDB unreachable");
                    }
                }
            }))
            .build();
        ImageProcessor processor = new ImageProcessor(new S3ImageStore(aws.s3),
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new DynamoDbMetadataRepository(flakyDynamoDb, AwsFixture.TABLE), new SnsNotifier(aws.sns, aws.topicArn),
                new OutputLocation(AwsFixture.PROCESSED, "thumbnails/"), 50_000_000, clock);
        function = new S3EventFunction(processor, AwsFixture.UPLOADS, pool, clock);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private List<ProcessedImage> deliver(String... records) {
        return function.apply(S3Events.parse(S3Events.event(records)));
    }

    private static String put(String bucket, String key, String eTag, String sequencer) {
        return """
                {"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                 "s3":{"bucket":{"name":"%s"},"object":{"key":"%s","size":1000,"eTag":"%s","sequencer":"%s"}}}"""
            .formatted(bucket, key, eTag, sequencer);
    }

    private Map<String, AttributeValue> item(String key) {
        return aws.item(AwsFixture.UPLOADS + "/" + key);
    }

    private int thumbnailWidth(String key) {
        return TestImages.decode(aws.s3
            .getObjectAsBytes(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/" + key))
            .asByteArray()).getWidth();
    }

    @Test
    void theSameEventDeliveredThreeTimesGivesOneThumbnailOneRecordAndOneNotification() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");
        String record = put(AwsFixture.UPLOADS, "photo.jpg", "e1", "0055AED6DCD90281E5");

        List<ProcessedImage> first = deliver(record);
        List<ProcessedImage> second = deliver(record);
        List<ProcessedImage> third = deliver(record);

        assertThat(first).extracting(ProcessedImage::status).containsExactly(Status.PROCESSED);
        assertThat(List.of(second.getFirst(), third.getFirst())).allSatisfy(repeat -> {
            assertThat(repeat.status()).isEqualTo(Status.SKIPPED);
            assertThat(repeat.reason()).startsWith("already processed");
        });
        assertThat(aws.allNotifications()).hasSize(1);
        assertThat(item("photo.jpg")).containsKeys("notifiedAt").containsEntry("status", AttributeValue.fromS("PROCESSED"));
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED)).keyCount()).isEqualTo(1);
    }

    @Test
    void aStaleEventDoesNotOverwriteTheResultOfALaterVersion() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");
        deliver(put(AwsFixture.UPLOADS, "photo.jpg", "e2", "0055AED6DCD90281F0"));

        List<ProcessedImage> late = deliver(put(AwsFixture.UPLOADS, "photo.jpg", "e1", "0055AED6DCD90281E5"));

        assertThat(late.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(late.getFirst().reason()).startsWith("stale event");
        assertThat(item("photo.jpg").get("eTag").s()).isEqualTo("e2");
        assertThat(aws.allNotifications()).hasSize(1);
    }

    @Test
    void aNewVersionOfTheSameKeyIsProcessedAgain() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        deliver(put(AwsFixture.UPLOADS, "photo.jpg", "e1", "0A"));
        aws.upload("photo.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");

        List<ProcessedImage> again = deliver(put(AwsFixture.UPLOADS, "photo.jpg", "e2", "0B"));

        assertThat(again.getFirst().status()).isEqualTo(Status.PROCESSED);
        assertThat(item("photo.jpg").get("sourceWidth").n()).isEqualTo("800");
        assertThat(thumbnailWidth("photo.jpg")).isEqualTo(256);
        assertThat(aws.allNotifications()).hasSize(2);
    }

    /** SNS made again (same name, same ARN), and the test's queue subscribed to it again. */
    private void snsIsBack() {
        aws.sns.createTopic(request -> request.name(AwsFixture.TOPIC));
        String queueArn = aws.sqs
            .getQueueAttributes(request -> request.queueUrl(aws.queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
        aws.sns.subscribe(request -> request.topicArn(aws.topicArn).protocol("sqs").endpoint(queueArn));
    }

    @Test
    void snsFailingAfterTheThumbnailAndRecordIsCompletedByTheRetryWithOneRecordAndOneNotification() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");
        String record = put(AwsFixture.UPLOADS, "photo.jpg", "e1", "0A");
        aws.sns.deleteTopic(request -> request.topicArn(aws.topicArn));

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> deliver(record))
            .withMessageContaining("1 of 1 records failed");
        assertThat(item("photo.jpg")).containsKey("status").doesNotContainKey("notifiedAt");
        assertThat(thumbnailWidth("photo.jpg")).isEqualTo(256);
        snsIsBack();
        // Lambda's first retry, a minute after the failed invocation: inside the claim's 90 s lease, but the failed
        // delivery gave its claim back
        clock.advance(java.time.Duration.ofMinutes(1));

        List<ProcessedImage> retried = deliver(record);
        List<ProcessedImage> duplicate = deliver(record);

        assertThat(retried.getFirst().status()).isEqualTo(Status.PROCESSED);
        assertThat(duplicate.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(aws.allNotifications()).singleElement()
            .satisfies(notification -> assertThat(notification.attributes()).containsEntry("status", "String:PROCESSED"));
        assertThat(item("photo.jpg")).containsKey("notifiedAt");
    }

    @Test
    void aClaimDynamoDbWouldNotTakeBackIsLeftToItsLeaseAndCompletedAfterIt() {
        aws.upload("photo.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg");
        String record = put(AwsFixture.UPLOADS, "photo.jpg", "e1", "0A");
        aws.sns.deleteTopic(request -> request.topicArn(aws.topicArn));
        releaseFailuresLeft.set(Integer.MAX_VALUE);

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> deliver(record))
            .withMessageContaining("(NotFound)");
        releaseFailuresLeft.set(0);
        snsIsBack();
        // at once, the claim is fresh: as far as this delivery can tell, the first one is still at work
        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> deliver(record))
            .withMessageContaining("a concurrent delivery of this version claimed it");
        // Lambda's second retry, after the lease
        clock.advance(ImageProcessor.CLAIM_LEASE);

        List<ProcessedImage> retried = deliver(record);

        assertThat(retried.getFirst().status()).isEqualTo(Status.PROCESSED);
        assertThat(aws.allNotifications()).hasSize(1);
        assertThat(item("photo.jpg")).containsKey("notifiedAt");
    }

    @Test
    void dynamoDbFailingMidBatchLosesNoOtherRecordAndTheRetryCompletesTheEvent() {
        for (String key : List.of("a.jpg", "flaky.jpg", "c.jpg")) {
            aws.upload(key, TestImages.bytes(TestImages.SMALL), "image/jpeg");
        }
        String[] records = { put(AwsFixture.UPLOADS, "a.jpg", "ea", "0A"),
                put(AwsFixture.UPLOADS, "flaky.jpg", "eb", "0B"), put(AwsFixture.UPLOADS, "c.jpg", "ec", "0C") };
        dynamoDbFailuresLeft.set(1);

        assertThatExceptionOfType(RecordsFailedException.class).isThrownBy(() -> deliver(records))
            .withMessageContaining("1 of 3 records failed")
            .withMessageContaining("flaky.jpg");
        assertThat(item("a.jpg")).containsKey("notifiedAt");
        assertThat(item("c.jpg")).containsKey("notifiedAt");
        assertThat(item("flaky.jpg")).isEmpty();
        assertThat(aws.allNotifications()).hasSize(2);

        // Lambda retries the whole event
        List<ProcessedImage> retried = deliver(records);

        assertThat(retried).extracting(ProcessedImage::status)
            .containsExactly(Status.SKIPPED, Status.PROCESSED, Status.SKIPPED);
        assertThat(item("flaky.jpg")).containsKey("notifiedAt");
        assertThat(aws.allNotifications()).singleElement()
            .satisfies(notification -> assertThat(notification.subject()).contains("flaky.jpg"));
    }

    @Test
    void anUploadOverwrittenBeforeItsEventIsReadGetsNoRecordOrNotificationOfTheBytesThatReplacedIt() {
        // an unversioned bucket: the photo's event arrives after a text file replaced the photo; the eTags are S3's
        byte[] photo = TestImages.bytes(TestImages.CAMERA_PHOTO);
        byte[] notes = "meeting notes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        aws.upload("photo.jpg", photo, "image/jpeg");
        String photoETag = aws.s3.headObject(request -> request.bucket(AwsFixture.UPLOADS).key("photo.jpg")).eTag()
            .replace("\"", "");
        aws.upload("photo.jpg", notes, "image/jpeg");
        String notesETag = aws.s3.headObject(request -> request.bucket(AwsFixture.UPLOADS).key("photo.jpg")).eTag()
            .replace("\"", "");

        List<ProcessedImage> photoEvent = deliver(put(AwsFixture.UPLOADS, "photo.jpg", photoETag, "0A"));
        List<ProcessedImage> notesEvent = deliver(put(AwsFixture.UPLOADS, "photo.jpg", notesETag, "0B"));

        assertThat(photoEvent.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(photoEvent.getFirst().reason()).startsWith("overwritten before it could be read");
        assertThat(notesEvent.getFirst().status()).isEqualTo(Status.REJECTED);
        assertThat(item("photo.jpg").get("eTag").s()).isEqualTo(notesETag);
        assertThat(aws.allNotifications()).singleElement()
            .satisfies(notification -> assertThat(notification.subject()).startsWith("Image rejected"));
    }

    @Test
    void anObjectDeletedBeforeProcessingIsSkippedNotAFailure() {
        List<ProcessedImage> results = deliver(put(AwsFixture.UPLOADS, "deleted.jpg", "e1", "0A"));

        assertThat(results.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(results.getFirst().reason()).isEqualTo("object no longer exists");
        assertThat(item("deleted.jpg")).isEmpty();
        assertThat(aws.allNotifications()).isEmpty();
    }

    @Test
    void anEventForTheProcessedBucketIsSkippedWithoutReadingIt() {
        aws.s3.putObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/photo.jpg"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(TestImages.bytes(TestImages.SMALL)));

        List<ProcessedImage> results = deliver(put(AwsFixture.PROCESSED, "thumbnails/photo.jpg", "e1", "0A"));

        assertThat(results.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(results.getFirst().reason()).startsWith("an output of this function");
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED)).keyCount()).isEqualTo(1);
        assertThat(aws.allNotifications()).isEmpty();
    }

    @Test
    void anEventForAKeyOutsideThePrefixOfTheProcessedBucketIsSkippedToo() {
        // a notification configured on the processed bucket by mistake, for an object that is no thumbnail
        aws.s3.putObject(request -> request.bucket(AwsFixture.PROCESSED).key("photos/photo.jpg"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(TestImages.bytes(TestImages.SMALL)));

        List<ProcessedImage> results = deliver(put(AwsFixture.PROCESSED, "photos/photo.jpg", "e1", "0A"));

        assertThat(results.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(results.getFirst().reason()).startsWith("an output of this function");
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED)).keyCount()).isEqualTo(1);
        assertThat(aws.allNotifications()).isEmpty();
    }

    @Test
    void anUploadCarryingTheOutputMarkerIsSkipped() {
        aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key("copied.jpg")
            .metadata(ImageProcessor.OUTPUT_MARKER),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(TestImages.bytes(TestImages.SMALL)));

        List<ProcessedImage> results = deliver(put(AwsFixture.UPLOADS, "copied.jpg", "e1", "0A"));

        assertThat(results.getFirst().status()).isEqualTo(Status.SKIPPED);
        assertThat(results.getFirst().reason()).startsWith("carries this function's output marker");
        assertThat(aws.allNotifications()).isEmpty();
    }
}
