package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.deploy.LambdaRuntimeApi;
import io.github.lambdaimageprocessor.deploy.LambdaRuntimeApi.Result;
import io.github.lambdaimageprocessor.deploy.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The deployable artifact, run the way Lambda runs it, without Docker: the folder {@code sam build} packages
 * ({@code target/lambda-layout}, built by Maven's package phase; classes at the root, runtime jars in
 * {@code lib/}) is the task root of a separate JVM that starts the real Lambda Runtime Interface Client
 * ({@code AWSLambda}, what the {@code java21} runtime runs) with the template's handler, memory and environment
 * variables (profile {@code aws}), against a Runtime API served by this test on loopback and moto standing in for
 * S3, DynamoDB and SNS. Only the AWS endpoint differs from Lambda: region and credentials reach the SDK through the
 * same environment variables Lambda sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaRuntimeIT {

    private static final Path LAYOUT = PackagedFunction.LAYOUT;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Cold start on a shared 2-core CI machine takes 5-15 s; the slowest photo here about 6 s. */
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(120);

    private final SamTemplate template = SamTemplate.load();

    private Path work;

    private PackagedFunction function;

    private final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    @BeforeAll
    void startTheFunctionInItsOwnJvm(@TempDir Path work) throws Exception {
        assertThat(LAYOUT.resolve("lib")).as("run `./mvnw verify` (the layout is built in the package phase)")
            .isDirectory();
        this.work = work;
        // one function process serves every test, so moto keeps its state for the whole class: wiped once, here
        this.aws = AwsFixture.createFresh(this.moto);
        this.function = PackagedFunction.start(this.template.function().getKey(), this.moto, this.aws,
                Path.of("target", "lambda-runtime-it.log"));
        assertThat(this.function.templateEnvironment()).containsEntry("SPRING_PROFILES_ACTIVE", "aws");
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (this.function != null) {
            this.function.close();
        }
    }

    @Test
    void theSampleEventMakesAThumbnailARecordAndANotification() throws Exception {
        // given the object events/s3-put.json names (key URL-encoded there, as S3 sends it)
        this.aws.upload("photos/my photo(1).jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");

        // when
        Result result = invoke(Files.readString(Path.of("events/s3-put.json"), StandardCharsets.UTF_8));

        // then the function answered ...
        assertThat(result.success()).as(describe(result)).isTrue();
        JsonNode processed = JSON.readTree(result.body()).get(0);
        assertThat(processed.get("status").asString()).isEqualTo("PROCESSED");
        assertThat(processed.get("output").get("key").asString()).isEqualTo("thumbnails/photos/my photo(1).jpg");
        // ... initialised as for SnapStart (checkpoint hooks ran, the runtime asked to be restored) ...
        assertThat(this.function.restores()).hasSize(1);
        // ... and its effects are in S3, DynamoDB and SNS
        ResponseBytes<GetObjectResponse> thumbnail = this.aws.s3.getObjectAsBytes(
                request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/photos/my photo(1).jpg"));
        assertThat(thumbnail.response().contentType()).isEqualTo("image/jpeg");
        assertThat(TestImages.decode(thumbnail.asByteArray()).getWidth()).isEqualTo(256);
        Map<String, AttributeValue> item = this.aws.item("uploads/photos/my photo(1).jpg");
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("requestId").s()).isEqualTo(result.requestId());
        assertThat(this.aws.notifications(1)).singleElement()
            .satisfies(notification -> assertThat(notification.attributes()).containsEntry("status",
                    "String:PROCESSED"));
        // one JSON object per log line, carrying the request id (profile aws)
        assertThat(Files.readAllLines(this.function.log(), StandardCharsets.UTF_8))
            .anySatisfy(line -> assertThat(line).startsWith("{").contains("\"requestId\":\"" + result.requestId()));
    }

    @Test
    void theFunctionWritesItsMetricsAsEmbeddedMetricFormatLinesThatCloudWatchCanExtract() throws Exception {
        // given a good photo and a text file named .jpg, in one event
        this.aws.upload("metrics/good.jpg", TestImages.bytes(TestImages.PHOTO), "image/jpeg");
        this.aws.upload("metrics/bad.jpg", TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg");

        Result result = invoke(event(AwsFixture.UPLOADS, "metrics/good.jpg", "metrics/bad.jpg"));
        assertThat(result.success()).as(describe(result)).isTrue();

        // then the process's standard output, which Lambda sends to CloudWatch Logs, holds EMF documents: one JSON
        // object per line with an _aws member, a namespace, dimension sets naming members, and metrics with units
        List<JsonNode> documents = Files.readAllLines(this.function.log(), StandardCharsets.UTF_8).stream()
            .filter(line -> line.startsWith("{") && line.contains("\"_aws\""))
            .map(JSON::readTree)
            .toList();
        assertThat(documents).as(this.function.logTail()).isNotEmpty().allSatisfy(document -> {
            JsonNode directive = document.get("_aws").get("CloudWatchMetrics").get(0);
            assertThat(document.get("_aws").get("Timestamp").isIntegralNumber()).isTrue();
            assertThat(directive.get("Namespace").asString()).isEqualTo("LambdaImageProcessor");
            assertThat(document.get("Service").asString())
                .isEqualTo(this.function.templateEnvironment().get("IMAGE_PROCESSOR_METRICS_SERVICE"));
            directive.get("Dimensions").forEach(set -> set.forEach(
                    dimension -> assertThat(document.get(dimension.asString()).isString()).isTrue()));
            directive.get("Metrics").forEach(metric -> {
                assertThat(metric.get("Unit").asString()).isIn("Count", "Milliseconds", "Bytes");
                JsonNode value = document.get(metric.get("Name").asString());
                assertThat(value.isNumber() || value.isArray()).as(metric.toString()).isTrue();
            });
            // SnapStart priming ran the function before the snapshot, uncounted: every document is an invocation's
            assertThat(document.get("requestId").isString()).isTrue();
        });
        // the environment was cold once, whichever test invoked it first
        assertThat(documents).filteredOn(document -> document.has("ColdStart")).hasSize(1);
        List<JsonNode> ours = documents.stream()
            .filter(document -> document.get("requestId").asString().equals(result.requestId()))
            .toList();
        assertThat(ours).filteredOn(document -> document.has("Outcome"))
            .extracting(document -> document.get("Outcome").asString(), document -> document.get("Images").asInt(),
                    document -> units(document))
            .containsExactlyInAnyOrder(
                    tuple("PROCESSED", 1, Map.of("Images", "Count", "ProcessingTime", "Milliseconds", "InputBytes",
                            "Bytes", "OutputBytes", "Bytes")),
                    tuple("REJECTED", 1, Map.of("Images", "Count", "ProcessingTime", "Milliseconds", "InputBytes",
                            "Bytes")));
    }

    private static Map<String, String> units(JsonNode document) {
        Map<String, String> units = new LinkedHashMap<>();
        document.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")
            .forEach(metric -> units.put(metric.get("Name").asString(), metric.get("Unit").asString()));
        return units;
    }

    @Test
    void theLargestAcceptedPhotosFitInTheTemplatesMemorySizeEvenTwoAtOnce() throws Exception {
        // given the worst cases just under the 100 MP limit: a baseline 4:4:4 photo and a progressive JPEG (whose
        // coefficients the fast decoder keeps in the heap), in one event, so they are processed in parallel
        this.aws.upload("huge.jpg", TestImages.bytes("bomb/photo-9643x10328-99.6MP.jpg"), "image/jpeg");
        this.aws.upload("huge-progressive.jpg", Files.readAllBytes(Path.of(
                "src/test/resources/generated/progressive-gradient-9000x11000.jpg")), "image/jpeg");

        Result result = invoke(event(AwsFixture.UPLOADS, "huge.jpg", "huge-progressive.jpg"));

        assertThat(result.success()).as(describe(result)).isTrue();
        JsonNode processed = JSON.readTree(result.body());
        assertThat(processed).extracting(node -> node.get("status").asString()).as(result.body())
            .containsExactly("PROCESSED", "PROCESSED");
        assertThat(processed.get(0).get("source").get("width").asInt()).isEqualTo(9643);
        assertThat(this.aws.item("uploads/huge-progressive.jpg").get("status").s()).isEqualTo("PROCESSED");
        // Lambda stops a function whose process outgrows MemorySize ("Max Memory Used" in the REPORT line):
        // compare the process's peak resident memory. Linux, like Lambda; elsewhere /proc does not exist.
        Path status = Path.of("/proc", Long.toString(this.function.pid()), "status");
        if (Files.exists(status)) {
            long peakKb = Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
            System.out.printf("Function process peak RSS: %d MB of MemorySize %d MB%n", peakKb / 1024, memorySize());
            assertThat(peakKb / 1024).isLessThan(memorySize());
        }
    }

    @Test
    void aFailureIsReportedToLambdaAsAnInvocationErrorSoTheEventIsRetried() throws Exception {
        Result result = invoke("{\"Records\":[]}");

        assertThat(result.success()).isFalse();
        // the runtime's classification (a function error, so an asynchronous invocation is retried) ...
        assertThat(result.errorType()).isEqualTo("Runtime.UserException");
        // ... and the exception, as the on-failure destination and the logs show it
        JsonNode error = JSON.readTree(result.body());
        assertThat(error.get("errorType").asString()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(error.get("errorMessage").asString()).contains("Records");
    }

    @Test
    void anUnreachableBucketIsAnInvocationErrorNotAResult() throws Exception {
        // the upload bucket itself gone (another bucket's record is REJECTED unread, never read)
        this.aws.s3.listObjectsV2Paginator(request -> request.bucket(AwsFixture.UPLOADS)).contents()
            .forEach(object -> this.aws.s3.deleteObject(request -> request.bucket(AwsFixture.UPLOADS)
                .key(object.key())));
        this.aws.s3.deleteBucket(request -> request.bucket(AwsFixture.UPLOADS));
        Result result;
        try {
            result = invoke(event(AwsFixture.UPLOADS, "photo.jpg"));
        }
        finally {
            // the runtime and its resources are shared by this class's tests
            this.aws.s3.createBucket(request -> request.bucket(AwsFixture.UPLOADS));
        }

        assertThat(result.success()).as(result.body()).isFalse();
        assertThat(result.errorType()).isEqualTo("Runtime.UserException");
        assertThat(result.body()).contains("s3://uploads/photo.jpg").contains("NoSuchBucket");
    }

    @Test
    void theLayoutHoldsTheClassesAndRuntimeJarsOnlyAndFitsTheDirectUploadLimit() throws IOException {
        assertThat(LAYOUT.resolve("io/github/lambdaimageprocessor/ImageProcessorApplication.class")).isRegularFile();
        assertThat(LAYOUT.resolve("application.properties")).isRegularFile();
        // A Boot-repackaged jar (BOOT-INF/) cannot be loaded by the runtime; the web starter is provided scope;
        // the runtime interface client comes with Lambda's java21 runtime.
        assertThat(LAYOUT.resolve("BOOT-INF")).doesNotExist();
        List<String> jars;
        try (Stream<Path> lib = Files.list(LAYOUT.resolve("lib"))) {
            jars = lib.map(jar -> jar.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(jar).endsWith(".jar"));
        assertThat(jars).noneMatch(jar -> jar.contains("spring-cloud-function-web")
                || jar.contains("tomcat-embed-core") || jar.contains("spring-webmvc")
                || jar.contains("runtime-interface-client") || jar.contains("junit") || jar.contains("netty"));

        long unzipped = sizeOf(LAYOUT);
        Path zip = this.work.resolve("function.zip");
        zip(LAYOUT, zip);
        long zipped = Files.size(zip);
        System.out.printf("Lambda package: %d jars, %.1f MB unzipped, %.1f MB zipped%n", jars.size(),
                unzipped / 1e6, zipped / 1e6);
        // Lambda's limits: 50 MB for a zip uploaded directly, 250 MB unzipped.
        assertThat(zipped).isLessThan(50L * 1024 * 1024);
        assertThat(unzipped).isLessThan(250L * 1024 * 1024);
    }

    private Result invoke(String event) {
        return this.function.invoke(event, INVOCATION_TIMEOUT);
    }

    private String describe(Result result) {
        return result + "\nruntime log:\n" + this.function.logTail();
    }

    /** An event for these objects, each named by its eTag (an object of another eTag reads as overwritten). */
    private String event(String bucket, String... keys) {
        List<String> records = new ArrayList<>();
        for (String key : keys) {
            String eTag;
            try {
                eTag = this.aws.s3.headObject(request -> request.bucket(bucket).key(key)).eTag().replace("\"", "");
            }
            catch (software.amazon.awssdk.core.exception.SdkException e) {
                eTag = "0123456789abcdef0123456789abcdef";
            }
            records.add("""
                    {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                     "eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                     "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                     "object":{"key":"%s","eTag":"%s","sequencer":"0A1B2C3D4E5F678902"}}}
                    """.formatted(bucket, bucket, key, eTag));
        }
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    private int memorySize() {
        return (Integer) this.template.function().getValue().get("MemorySize");
    }

    private static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void zip(Path folder, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipOut = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zipOut.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zipOut);
                zipOut.closeEntry();
            }
        }
    }
}
