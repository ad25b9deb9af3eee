package io.github.lambdaimageprocessor.aws;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.cli.Command;
import io.github.lambdaimageprocessor.cli.CommandLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar <jar> backfill} in profile {@code aws} against moto: the upload bucket listed with ListObjectsV2
 * two keys a page (so the listing takes several pages), records in DynamoDB, notifications on SNS only when asked.
 */
class BackfillCommandIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private record Run(int status, String output) {
    }

    @BeforeEach
    void resources() {
        aws = AwsFixture.create(moto);
    }

    private Run backfill(String... options) {
        return backfillOf(AwsFixture.UPLOADS, options);
    }

    private Run backfillOf(String uploadBucket, String... options) {
        List<String> args = new ArrayList<>(List.of("backfill", "--spring.profiles.active=aws",
                "--image-processor.upload-bucket=" + uploadBucket,
                "--image-processor.processed-bucket=" + AwsFixture.PROCESSED,
                "--image-processor.table=" + AwsFixture.TABLE, "--image-processor.topic-arn=" + aws.topicArn,
                "--image-processor.backfill.list-page-size=2", "--image-processor.concurrency=2"));
        moto.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CommandLine.run(ImageProcessorApplication.class, args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    private void uploadPhotos(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            aws.upload(prefix + i + ".jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        }
    }

    @Test
    void listsEveryPageProcessesEachObjectOnceAndASecondRunSkipsThemAll() {
        uploadPhotos("2025/", 4);
        uploadPhotos("2026/deep/", 3);
        aws.upload("2026/notes.jpg", "not a photo".getBytes(StandardCharsets.UTF_8), "text/plain");

        Run first = backfill();

        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("8 objects, processed 7, skipped 0, rejected 1, failed 0");
        assertThat(aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED).prefix("thumbnails/"))
            .keyCount()).isEqualTo(7);
        Map<String, AttributeValue> item = aws.item("uploads/2026/deep/2.jpg");
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("thumbnailWidth").n()).isEqualTo("256");
        assertThat(aws.allNotifications()).isEmpty();

        Run second = backfill();

        assertThat(second.output()).contains("8 objects, processed 0, skipped 8, rejected 0, failed 0");
        assertThat(aws.item("uploads/2026/deep/2.jpg")).isEqualTo(item);
    }

    @Test
    void honoursPrefixForceAndNotify() {
        uploadPhotos("a/", 3);
        uploadPhotos("b/", 3);
        backfill("--prefix=a/");

        Run forced = backfill("--prefix=a/", "--force", "--notify");

        assertThat(forced.output()).contains("Backfill of s3://uploads/a/")
            .contains("3 objects, processed 3, skipped 0, rejected 0, failed 0");
        assertThat(aws.notifications(3)).hasSize(3);
        assertThat(aws.item("uploads/b/0.jpg")).isEmpty();
    }

    @Test
    void aStormOfSlowDownsCostsTimeNotFailuresAndTheRunSaysSo() throws Exception {
        uploadPhotos("", 3);
        // S3 answers SlowDown to four reads of one object in a row: more than the SDK's default retries take
        try (FaultProxy s3 = new FaultProxy(moto.endpoint(), 4,
                exchange -> exchange.getRequestMethod().equals("GET")
                        && exchange.getRequestURI().getPath().equals("/uploads/2.jpg") ? FaultProxy.Fault.SLOW_DOWN
                                : null)) {

            Run run = backfill("--spring.cloud.aws.s3.endpoint=" + s3.endpoint());

            assertThat(s3.slowDowns()).isEqualTo(4);
            assertThat(run.status()).as(run.output()).isZero();
            assertThat(run.output()).contains("3 objects, processed 3, skipped 0, rejected 0, failed 0")
                .contains("S3 asked to slow down 4 times");
        }
        assertThat(aws.item("uploads/2.jpg").get("status").s()).isEqualTo("PROCESSED");
    }

    @Test
    void anArchivedObjectFailsTheRunWhileTheOthersAreDone() {
        uploadPhotos("", 3);
        aws.s3.putObject(request -> request.bucket(AwsFixture.UPLOADS).key("cold.jpg")
            .storageClass(StorageClass.DEEP_ARCHIVE), RequestBody.fromBytes(TestImages.bytes(TestImages.SMALL)));

        Run run = backfill();

        assertThat(run.status()).isEqualTo(Command.FAILED);
        assertThat(run.output()).contains("FAILED s3://uploads/cold.jpg: s3://uploads/cold.jpg is archived")
            .contains("4 objects, processed 3, skipped 0, rejected 0, failed 1");
    }

    @Test
    void aMissingBucketIsAFailedListingNotASilentSuccess() {
        Run run = backfillOf("no-such-bucket");

        assertThat(run.status()).isEqualTo(Command.FAILED);
        assertThat(run.output()).contains("FAILED listing s3://no-such-bucket/").contains("NoSuchBucket")
            .contains("stopped (listing failed)");
    }
}
