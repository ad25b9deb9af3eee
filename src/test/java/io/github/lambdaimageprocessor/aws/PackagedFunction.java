package io.github.lambdaimageprocessor.aws;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.github.lambdaimageprocessor.deploy.LambdaRuntimeApi;
import io.github.lambdaimageprocessor.deploy.SamTemplate;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;

/**
 * One function of {@code template.yaml} run from the packaged layout ({@code target/lambda-layout}) as Lambda runs it:
 * a separate JVM with Lambda's options for the function's {@code MemorySize}, the real Runtime Interface Client with
 * the template's handler, Lambda's environment plus the function's own variables (template values the test cannot
 * resolve stand for the {@link AwsFixture}'s resources), and moto as the AWS endpoint. The same setup as
 * {@code LambdaRuntimeIT}, for any function of the template ({@code HttpApiLambdaIT}, {@code BackfillLambdaIT}...).
 */
final class PackagedFunction implements AutoCloseable {

    /** What stands for the template's {@code UploadsAllowedOrigins}. */
    static final String HTTP_API_ALLOWED_ORIGIN = "https://app.example.com";

    static final Path LAYOUT = Path.of(System.getProperty("lambda.layout", "target/lambda-layout"));

    private final LambdaRuntimeApi runtimeApi;

    private final Process process;

    private final Path log;

    private final Map<String, String> templateEnvironment;

    private PackagedFunction(LambdaRuntimeApi runtimeApi, Process process, Path log,
            Map<String, String> templateEnvironment) {
        this.runtimeApi = runtimeApi;
        this.process = process;
        this.log = log;
        this.templateEnvironment = Map.copyOf(templateEnvironment);
    }

    /** The function's own variables from template.yaml, as this run resolved them. */
    Map<String, String> templateEnvironment() {
        return templateEnvironment;
    }

    /** Starts the function with this logical id; its output goes to {@code log}. */
    static PackagedFunction start(String logicalId, MotoServer moto, AwsFixture aws, Path log) throws Exception {
        SamTemplate template = SamTemplate.load();
        Map<String, Object> function = template.function(logicalId).getValue();
        String name = "lambda-image-processor-" + logicalId;
        LambdaRuntimeApi runtimeApi = new LambdaRuntimeApi(
                "arn:aws:lambda:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT + ":function:" + name + ":live");
        int memory = (Integer) function.get("MemorySize");
        String handler = (String) function.get("Handler");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the options Lambda's Java runtime starts the JVM with, sized from the function's memory: 85% heap, 10%
        // metaspace, 5% code cache, serial GC, C1 only; the client loads its JNI library, which Lambda allows
        long kb = memory * 1024L;
        command.addAll(List.of("-XX:MaxHeapSize=" + kb * 85 / 100 + "k", "-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k",
                "-XX:ReservedCodeCacheSize=" + kb * 5 / 100 + "k", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true",
                "--enable-native-access=ALL-UNNAMED"));
        command.add("-classpath");
        command.add(String.join(File.pathSeparator, runtimeClasspath()));
        command.add(AWSLambda.class.getName());
        command.add(handler);

        ProcessBuilder builder = new ProcessBuilder(command).directory(LAYOUT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // only what Lambda sets plus the template's variables: nothing leaks in from the build's environment
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        environment.put("LAMBDA_TASK_ROOT", LAYOUT.toAbsolutePath().toString());
        environment.put("_HANDLER", handler);
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        environment.put("AWS_REGION", MotoServer.REGION);
        environment.put("AWS_DEFAULT_REGION", MotoServer.REGION);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", name);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memory));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/03/[1]0123456789abcdef");
        environment.put("AWS_LAMBDA_LOG_FORMAT",
                String.valueOf(asMap(function.get("LoggingConfig")).getOrDefault("LogFormat", "Text")).toUpperCase());
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_SESSION_TOKEN", "test");
        environment.put("TZ", ":UTC");
        environment.put("LANG", "en_US.UTF-8");
        Map<String, String> own = new java.util.LinkedHashMap<>();
        template.environment(logicalId).forEach((variable, value) -> own.put(variable,
                value instanceof String literal ? literal : switch (variable) {
                    case "UPLOAD_BUCKET" -> AwsFixture.UPLOADS;
                    case "PROCESSED_BUCKET" -> AwsFixture.PROCESSED;
                    case "DDB_TABLE" -> AwsFixture.TABLE;
                    case "SNS_TOPIC_ARN" -> aws.topicArn;
                    case "IMAGE_PROCESSOR_METRICS_SERVICE" -> "lambda-image-processor-test";
                    // the parameters' defaults: one region, no standby gate; no authorizer and no opt-in
                    case "ACTIVE_REGION_PARAMETER", "PEER_REGION", "PEER_UPLOAD_BUCKET" -> "";
                    // a page on another origin, which HttpApiLambdaIT plays (empty, the default, is none:
                    // UploadPropertiesTest)
                    case "IMAGE_PROCESSOR_UPLOADS_ALLOWED_ORIGINS" -> HTTP_API_ALLOWED_ORIGIN;
                    case "IMAGE_PROCESSOR_UPLOADS_ALLOW_ANONYMOUS" ->
                        String.valueOf(asMap(template.parameters().get("AllowAnonymousUploads")).get("Default"));
                    default -> throw new IllegalStateException("template.yaml sets " + variable + " to " + value
                            + "; tell PackagedFunction what stands for it in the test");
                }));
        environment.putAll(own);
        environment.put("SPRING_CLOUD_AWS_ENDPOINT", moto.endpoint().toString());
        environment.put("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED", "true");
        return new PackagedFunction(runtimeApi, builder.start(), log, own);
    }

    /** The SnapStart restores the runtime asked for (one per started environment). */
    List<String> restores() {
        return runtimeApi.restores();
    }

    /** The function's process, e.g. to read its peak resident memory. */
    long pid() {
        return process.pid();
    }

    /** Where the function's standard output and error go: what Lambda sends to CloudWatch Logs. */
    Path log() {
        return log;
    }

    /** Invokes the function with this payload, as Lambda does for a synchronous invocation. */
    LambdaRuntimeApi.Result invoke(String payload, Duration timeout) {
        try {
            return runtimeApi.invoke(payload, timeout);
        }
        catch (RuntimeException | TimeoutException e) {
            throw new AssertionError("invocation failed; function log:\n" + logTail(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
        catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * What is on the system classpath in Lambda's java21 runtime: the Runtime Interface Client and the two libraries
     * it loads the handler with. The function's own code comes from the task root (the working directory), loaded by
     * the client's customer class loader exactly as on Lambda.
     */
    private static List<String> runtimeClasspath() throws URISyntaxException, ClassNotFoundException {
        List<String> classpath = new ArrayList<>();
        for (Class<?> type : List.of(AWSLambda.class, Context.class, LambdaEventSerializers.class,
                Class.forName("software.amazon.awssdk.utilslite.SdkInternalThreadLocal"))) {
            classpath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return classpath;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        runtimeApi.close();
    }
}
