package io.github.lambdaimageprocessor.aws;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
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

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static org.assertj.core.api.Assertions.assertThat;

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

    private static final Path LAYOUT = Path.of(System.getProperty("lambda.layout", "target/lambda-layout"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Cold start on a shared 2-core CI machine takes 5-15 s; the slowest photo here about 6 s. */
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(120);

    private static final String FUNCTION_NAME = "lambda-image-processor-processImage";

    private final SamTemplate template = SamTemplate.load();

    private Path work;

    private LambdaRuntimeApi runtimeApi;

    private Process runtime;

    private Path runtimeLog;

    private final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    @BeforeAll
    void startTheFunctionInItsOwnJvm(@TempDir Path work) throws Exception {
        assertThat(LAYOUT.resolve("lib")).as("run `./mvnw verify` (the layout is built in the package phase)")
            .isDirectory();
        this.work = work;
        // one function process serves every test, so moto keeps its state for the whole class: wiped once, here
        this.moto.reset();
        this.aws = AwsFixture.create(this.moto);
        this.runtimeApi = new LambdaRuntimeApi(
                "arn:aws:lambda:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT + ":function:" + FUNCTION_NAME + ":live");
        this.runtimeLog = Path.of("target", "lambda-runtime-it.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(lambdaJvmOptions(memorySize()));
        command.add("-classpath");
        command.add(String.join(File.pathSeparator, runtimeClasspath()));
        command.add(AWSLambda.class.getName());
        command.add(handler());

        ProcessBuilder builder = new ProcessBuilder(command).directory(LAYOUT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(this.runtimeLog.toFile());
        // Only what Lambda sets plus the template's variables: nothing leaks in from the build's environment.
        builder.environment().clear();
        builder.environment().putAll(lambdaEnvironment());
        builder.environment().putAll(templateEnvironment());
        builder.environment().putAll(awsEndpoint());
        this.runtime = builder.start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (this.runtime != null) {
            this.runtime.destroy();
            if (!this.runtime.waitFor(10, TimeUnit.SECONDS)) {
                this.runtime.destroyForcibly();
            }
        }
        if (this.runtimeApi != null) {
            this.runtimeApi.close();
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
        assertThat(this.runtimeApi.restores()).hasSize(1);
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
        assertThat(Files.readAllLines(this.runtimeLog, StandardCharsets.UTF_8))
            .anySatisfy(line -> assertThat(line).startsWith("{").contains("\"requestId\":\"" + result.requestId()));
    }

    @Test
    void theLargestAcceptedPhotosFitInTheTemplatesMemorySizeEvenTwoAtOnce() throws Exception {
        // given the worst cases just under the 100 MP limit: a baseline 4:4:4 photo and a progressive JPEG (which
        // libjpeg decodes in native memory, outside the heap), in one event, so they are processed in parallel
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
        Path status = Path.of("/proc", Long.toString(this.runtime.pid()), "status");
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
        Result result = invoke(event("no-such-bucket", "photo.jpg"));

        assertThat(result.success()).as(result.body()).isFalse();
        assertThat(result.errorType()).isEqualTo("Runtime.UserException");
        assertThat(result.body()).contains("no-such-bucket");
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

    private Result invoke(String event) throws Exception {
        try {
            return this.runtimeApi.invoke(event, INVOCATION_TIMEOUT);
        }
        catch (RuntimeException | TimeoutException e) {
            throw new AssertionError("invocation failed; runtime log:\n" + logTail(), e);
        }
    }

    private String describe(Result result) {
        return result + "\nruntime log:\n" + logTail();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(this.runtimeLog, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        }
        catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String event(String bucket, String... keys) {
        List<String> records = new ArrayList<>();
        for (String key : keys) {
            records.add("""
                    {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                     "eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
                     "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
                     "object":{"key":"%s","eTag":"0123456789abcdef0123456789abcdef","sequencer":"0A1B2C3D4E5F678902"}}}
                    """.formatted(bucket, bucket, key));
        }
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    private int memorySize() {
        return (Integer) this.template.function().getValue().get("MemorySize");
    }

    private String handler() {
        return (String) this.template.function().getValue().get("Handler");
    }

    /**
     * The JVM options Lambda's Java runtime starts the JVM with, sized from the function's memory: 85% heap,
     * 10% metaspace, 5% code cache, serial GC, C1 only.
     */
    private static List<String> lambdaJvmOptions(int memoryMb) {
        long kb = memoryMb * 1024L;
        return List.of("-XX:MaxHeapSize=" + kb * 85 / 100 + "k", "-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k",
                "-XX:ReservedCodeCacheSize=" + kb * 5 / 100 + "k", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
                // the client loads its JNI library; Lambda's runtime allows that without a warning
                "--enable-native-access=ALL-UNNAMED");
    }

    /**
     * What is on the system classpath in Lambda's java21 runtime: the Runtime Interface Client and the two
     * libraries it loads the handler with. The function's own code comes from the task root (the working
     * directory), loaded by the client's customer class loader exactly as on Lambda.
     */
    private static List<String> runtimeClasspath() throws URISyntaxException, ClassNotFoundException {
        List<String> classpath = new ArrayList<>();
        for (Class<?> type : List.of(AWSLambda.class, Context.class, LambdaEventSerializers.class,
                Class.forName("software.amazon.awssdk.utilslite.SdkInternalThreadLocal"))) {
            classpath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return classpath;
    }

    /** The variables Lambda sets for every function, as they would be for this one. */
    private Map<String, String> lambdaEnvironment() {
        Map<String, Object> function = this.template.function().getValue();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_LAMBDA_RUNTIME_API", this.runtimeApi.address());
        environment.put("LAMBDA_TASK_ROOT", LAYOUT.toAbsolutePath().toString());
        environment.put("_HANDLER", handler());
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        environment.put("AWS_REGION", MotoServer.REGION);
        environment.put("AWS_DEFAULT_REGION", MotoServer.REGION);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memorySize()));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/26/[1]0123456789abcdef");
        environment.put("AWS_LAMBDA_LOG_FORMAT",
                String.valueOf(asMap(function.get("LoggingConfig")).getOrDefault("LogFormat", "Text")).toUpperCase());
        // SnapStart: the runtime runs its checkpoint hooks and asks the Runtime API to restore it.
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_SESSION_TOKEN", "test");
        environment.put("TZ", ":UTC");
        environment.put("LANG", "en_US.UTF-8");
        return environment;
    }

    /**
     * The function's variables exactly as template.yaml declares them; values the template computes (bucket,
     * table and topic references) are replaced by the test's own resources. A variable this test does not know
     * how to resolve fails the test, so template and test cannot drift apart.
     */
    private Map<String, String> templateEnvironment() {
        Map<String, String> resolved = new LinkedHashMap<>();
        this.template.environment().forEach((name, value) -> {
            if (value instanceof String literal) {
                resolved.put(name, literal);
                return;
            }
            String testValue = switch (name) {
                case "UPLOAD_BUCKET" -> AwsFixture.UPLOADS;
                case "PROCESSED_BUCKET" -> AwsFixture.PROCESSED;
                case "DDB_TABLE" -> AwsFixture.TABLE;
                case "SNS_TOPIC_ARN" -> this.aws.topicArn;
                default -> throw new IllegalStateException("template.yaml sets " + name + " to " + value
                        + "; tell LambdaRuntimeIT what stands for it in the test");
            };
            resolved.put(name, testValue);
        });
        assertThat(resolved).containsEntry("SPRING_PROFILES_ACTIVE", "aws");
        return resolved;
    }

    /**
     * Where moto listens, as Spring Cloud AWS's standard variables (see application-aws.yaml); path-style access,
     * because bucket names cannot resolve as host names of a loopback endpoint.
     */
    private Map<String, String> awsEndpoint() {
        return Map.of("SPRING_CLOUD_AWS_ENDPOINT", this.moto.endpoint().toString(),
                "SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
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
