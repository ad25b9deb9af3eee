package io.github.lambdaimageprocessor.aws;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.S3EventFunction;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code redrive} command against moto: a failure queue holding what Lambda puts there (invocation records whose
 * {@code requestPayload} is the S3 event), good and bad. Nothing that did not succeed is deleted.
 */
class RedriveIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private String failureQueue;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeEach
    void createResources() {
        aws = AwsFixture.create(moto);
        failureQueue = aws.sqs.createQueue(request -> request.queueName("failures")).queueUrl();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Keys whose reads fail, as while S3 is down for them: a failed event that a redrive replays. */
    private final java.util.Set<String> unreachable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Redrive redrive(PrintStream out) {
        S3ImageStore store = new S3ImageStore(aws.s3) {
            // the read the processor makes, which may stop after the head
            @Override
            public java.util.Optional<io.github.lambdaimageprocessor.processing.StoredObject> read(
                    io.github.lambdaimageprocessor.processing.ObjectRef ref, String versionId, long maxBytes,
                    int headBytes, java.util.function.Predicate<byte[]> worthReading) {
                if (unreachable.contains(ref.key())) {
                    throw new AwsCallFailedException("S3", "GetObject", "Failed to read " + ref + " (S3 is down)",
                            software.amazon.awssdk.core.exception.SdkClientException.create("S3 is down"));
                }
                return super.read(ref, versionId, maxBytes, headBytes, worthReading);
            }
        };
        S3EventFunction function = new S3EventFunction(new ImageProcessor(store,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE), new SnsNotifier(aws.sns, aws.topicArn),
                new OutputLocation(AwsFixture.PROCESSED, "thumbnails/"), 50_000_000, Clock.systemUTC()),
                AwsFixture.UPLOADS, pool, Clock.systemUTC());
        return new Redrive(new SqsFailureQueue(aws.sqs, failureQueue),
                function.fromEventJson(tools.jackson.databind.json.JsonMapper.builder().build()), 300, out);
    }

    private void send(String body) {
        aws.sqs.sendMessage(request -> request.queueUrl(failureQueue).messageBody(body));
    }

    /** What Lambda sends to the on-failure destination after the last retry. */
    static String invocationRecord(String bucket, String encodedKey) {
        return invocationRecord(bucket, encodedKey, "0123456789abcdef0123456789abcdef");
    }

    /** ... naming the object of that eTag: a stored object of another is taken to have been overwritten since. */
    static String invocationRecord(String bucket, String encodedKey, byte[] content) {
        try {
            return invocationRecord(bucket, encodedKey, java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(content)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String invocationRecord(String bucket, String encodedKey, String eTag) {
        return """
                {"version":"1.0","timestamp":"2026-12-03T10:00:00.000Z",
                 "requestContext":{"requestId":"7b1e0f1c-0000-4000-8000-000000000001",
                   "functionArn":"arn:aws:lambda:us-east-1:123456789012:function:lambda-image-processor-processImage:live",
                   "condition":"RetriesExhausted","approximateInvokeCount":3},
                 "requestPayload":{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                   "eventTime":"2026-12-03T09:59:00.000Z","eventName":"ObjectCreated:Put",
                   "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                   "object":{"key":"%s","size":1000,"eTag":"%s",
                   "sequencer":"0A1B2C3D4E5F678901"}}}]},
                 "responseContext":{"statusCode":200,"executedVersion":"1","functionError":"Unhandled"},
                 "responsePayload":{"errorType":"io.github.lambdaimageprocessor.function.RecordsFailedException",
                   "errorMessage":"1 of 1 records failed; the event must be retried."}}
                """.formatted(bucket, bucket, encodedKey, eTag);
    }

    private List<String> bodiesLeft() {
        List<String> bodies = new ArrayList<>();
        List<Message> batch;
        do {
            batch = aws.sqs.receiveMessage(request -> request.queueUrl(failureQueue)
                .maxNumberOfMessages(10)
                .visibilityTimeout(60)
                .waitTimeSeconds(0)).messages();
            batch.forEach(message -> bodies.add(message.body()));
        }
        while (!batch.isEmpty());
        return bodies;
    }

    @Test
    void replaysGoodEventsDeletesOnlyWhatSucceededAndKeepsTheRestVisible() {
        // given: a photo whose event failed (S3 was down, say), a text file named .jpg, a photo S3 still cannot
        // serve, and two messages that are no S3 event at all
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        aws.upload("notes.jpg", TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg");
        String good = invocationRecord(AwsFixture.UPLOADS, "photos/my+photo%281%29.jpg",
                TestImages.bytes(TestImages.PHOTO));
        unreachable.add("photo.jpg");
        String stillFailing = invocationRecord(AwsFixture.UPLOADS, "photo.jpg");
        String notJson = "this is not JSON";
        String noPayload = "{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"EventAgeExceeded\"}}";
        send(good);
        send(invocationRecord(AwsFixture.UPLOADS, "notes.jpg", TestImages.bytes("not-jpeg/plain-text.jpg")));
        send(stillFailing);
        send(notJson);
        send(noPayload);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // when
        Redrive.Summary summary = redrive(new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        // then the summary ...
        assertThat(summary).isEqualTo(new Redrive.Summary(5, 1, 1, 0, 1, 2, 2, 3));
        assertThat(summary.succeeded()).isFalse();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("s3://uploads/photos/my photo(1).jpg PROCESSED")
            .contains("s3://uploads/notes.jpg REJECTED: not a JPEG")
            .contains("kept, failed again: 1 of 1 records failed")
            .contains("kept, not an S3 event: the body is not JSON")
            .contains("kept, not an S3 event: its requestPayload has no S3 \"Records\"")
            .endsWith("redrive: " + summary + System.lineSeparator());
        // ... the work, done once
        assertThat(aws.item("uploads/photos/my photo(1).jpg").get("status").s()).isEqualTo("PROCESSED");
        assertThat(aws.s3.headObject(request -> request.bucket(AwsFixture.PROCESSED)
            .key("thumbnails/photos/my photo(1).jpg")).contentType()).isEqualTo("image/jpeg");
        assertThat(aws.item("uploads/notes.jpg").get("status").s()).isEqualTo("REJECTED");
        assertThat(aws.allNotifications()).extracting(n -> n.attributes().get("status"))
            .containsExactlyInAnyOrder("String:PROCESSED", "String:REJECTED");
        // ... and what did not succeed is still there, visible now for the next run
        assertThat(bodiesLeft()).containsExactlyInAnyOrder(stillFailing, notJson, noPayload);
    }

    @Test
    void aSecondRunAfterTheFixFindsTheFailedEventAndTheFirstOnesAlreadyDoneAreSkipped() {
        aws.upload("a.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        send(invocationRecord(AwsFixture.UPLOADS, "a.jpg", TestImages.bytes(TestImages.SMALL)));
        send(invocationRecord(AwsFixture.UPLOADS, "a.jpg", TestImages.bytes(TestImages.SMALL))); // parked twice
        aws.upload("b.jpg", TestImages.bytes(TestImages.SMALL), "image/jpeg");
        unreachable.add("b.jpg");
        send(invocationRecord(AwsFixture.UPLOADS, "b.jpg", TestImages.bytes(TestImages.SMALL)));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        Redrive.Summary first = redrive(quiet).run();
        unreachable.clear();
        Redrive.Summary second = redrive(quiet).run();

        assertThat(first).isEqualTo(new Redrive.Summary(3, 1, 0, 1, 1, 0, 2, 1));
        assertThat(second).isEqualTo(new Redrive.Summary(1, 1, 0, 0, 0, 0, 1, 0));
        assertThat(second.succeeded()).isTrue();
        assertThat(bodiesLeft()).isEmpty();
    }

    @Test
    void theExecutableJarRunsTheCommandWithoutAWebServerAndExitsWithItsStatus(@TempDir Path work) throws Exception {
        aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        send(invocationRecord(AwsFixture.UPLOADS, "photos/my+photo%281%29.jpg",
                TestImages.bytes(TestImages.PHOTO)));

        Run ok = runJar(work, "redrive", "--queue-url=" + failureQueue);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("redrive: message 1").contains("PROCESSED")
            .contains("1 message read: 1 processed, 0 rejected, 0 skipped, 0 failed, 0 unreadable; 1 deleted, "
                    + "0 remaining in the queue")
            // no EMF lines (those are the function's on Lambda) and no server
            .doesNotContain("\"_aws\"").doesNotContain("Tomcat");
        assertThat(aws.item("uploads/photos/my photo(1).jpg").get("status").s()).isEqualTo("PROCESSED");

        send("not an event");
        Run failing = runJar(work, "redrive", "--queue-url=" + failureQueue);
        assertThat(failing.exitCode()).as(failing.output()).isEqualTo(1);
        assertThat(bodiesLeft()).containsExactly("not an event");

        Run usage = runJar(work, "redrive");
        assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);
        assertThat(usage.output()).contains("--queue-url=");
    }

    private record Run(int exitCode, String output) {
    }

    private Run runJar(Path work, String... args) throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("run `./mvnw verify`: the executable jar is built in package"));
        }
        Path log = Files.createTempFile(work, "redrive-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // the same resources a user names for moto (README), as environment variables
        builder.environment().put("SPRING_PROFILES_ACTIVE", "aws");
        builder.environment().put("SPRING_CLOUD_AWS_ENDPOINT", moto.endpoint().toString());
        builder.environment().put("SPRING_CLOUD_AWS_REGION_STATIC", MotoServer.REGION);
        builder.environment().put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", "test");
        builder.environment().put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", "test");
        builder.environment().put("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
        builder.environment().put("PROCESSED_BUCKET", AwsFixture.PROCESSED);
        builder.environment().put("DDB_TABLE", AwsFixture.TABLE);
        builder.environment().put("SNS_TOPIC_ARN", aws.topicArn);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("redrive did not exit within 120 s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
