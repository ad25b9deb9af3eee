package io.github.lambdaimageprocessor.aws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A real AWS-API server for tests: one {@code moto_server} per test JVM on a free loopback port, started lazily by the
 * first test class that needs it, wiped ({@code POST /moto-api/reset}) before every test, stopped when the JVM exits.
 * Register it as a static field: {@code @RegisterExtension static final MotoServer moto = MotoServer.shared();}.
 * Classes that run one application against it for the whole class (and so must keep state between their tests) call
 * {@link #shared()} and wipe it themselves ({@code AwsFixture.createFresh}) instead of registering the extension.
 *
 * <p>Every test that uses it is an integration test ({@code *IT}, run by failsafe in {@code ./mvnw verify}), so
 * {@code ./mvnw test} needs neither Python nor moto. moto is a test dependency like any other (see the README): a
 * machine without it fails those tests rather than skipping them, so a green {@code verify} always means the AWS
 * adapters were exercised. Tests run one class at a time in the JVM (neither surefire nor failsafe runs classes in
 * parallel here), so a reset between tests cannot pull state from under another test.
 */
final class MotoServer implements BeforeAllCallback, BeforeEachCallback {

    static final String REGION = "us-east-1";

    static final String ACCOUNT = "123456789012";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private static final MotoServer SHARED = new MotoServer();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Process process;

    private int port;

    private Path log;

    private MotoServer() {
    }

    /** The server of this test JVM; it starts when first used (an endpoint, a reset, a test class's start). */
    static MotoServer shared() {
        return SHARED;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensureStarted();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    private synchronized void ensureStarted() {
        if (process != null) {
            if (!process.isAlive()) {
                // a restart would listen on another port than the one cached Spring contexts were given
                throw new IllegalStateException("moto_server exited with " + process.exitValue()
                        + " while tests were using it; its output: " + log);
            }
            return;
        }
        try {
            start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting moto_server", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "moto-server-stop"));
    }

    private void start() throws IOException, InterruptedException {
        log = Files.createTempFile("moto-server-", ".log");
        log.toFile().deleteOnExit();
        IOException lastFailure = null;
        // the free port is only free when we look; another process may take it before moto binds: try again
        for (int attempt = 1; attempt <= 3; attempt++) {
            port = freePort();
            process = launch(port);
            try {
                awaitReady();
                return;
            }
            catch (IOException e) {
                lastFailure = e;
                stop();
            }
        }
        throw lastFailure;
    }

    private synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Wipes every bucket, table, topic and queue. */
    void reset() {
        ensureStarted();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(address().resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + response.statusCode());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI endpoint() {
        ensureStarted();
        return address();
    }

    private URI address() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * The Spring Cloud AWS properties that point the application at this server, exactly what a user sets for moto or
     * LocalStack (as {@code SPRING_CLOUD_AWS_*} environment variables).
     */
    Map<String, String> springProperties() {
        return springProperties(endpoint());
    }

    /** The same for any endpoint (one where nothing listens, for an outage). */
    static Map<String, String> springProperties(URI endpoint) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.cloud.aws.endpoint", endpoint.toString());
        properties.put("spring.cloud.aws.region.static", REGION);
        properties.put("spring.cloud.aws.credentials.access-key", "test");
        properties.put("spring.cloud.aws.credentials.secret-key", "test");
        properties.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
        return properties;
    }

    S3Client s3() {
        return configure(S3Client.builder()).forcePathStyle(true).build();
    }

    DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    SnsClient sns() {
        return configure(SnsClient.builder()).build();
    }

    SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        return builder.endpointOverride(endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /**
     * moto's server as {@code moto_server} runs it, but answering one request at a time: its threaded server does not
     * make DynamoDB's conditional writes atomic (two of eight concurrent conditional puts of one item can both
     * succeed), which real DynamoDB does and {@code MetadataRepositoryContract} checks.
     */
    private static final String SINGLE_THREADED_SERVER = String.join("\n",
            "import sys",
            "from werkzeug.serving import run_simple",
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app),",
            "           threaded=False, use_reloader=False)");

    private Process launch(int port) throws IOException {
        List<String> command = new ArrayList<>(python());
        command.addAll(List.of("-c", SINGLE_THREADED_SERVER, "127.0.0.1", Integer.toString(port)));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        }
        catch (IOException e) {
            throw new IOException("Cannot start moto (" + command.getFirst() + "); the AWS tests need it: "
                    + "pip install \"moto[server]\"", e);
        }
    }

    /**
     * The Python that has moto: the interpreter of the {@code moto_server} script found on the PATH or where pip and
     * pyenv put scripts (a CI shell may not have them on its PATH), else {@code python3}.
     */
    private static List<String> python() {
        String home = System.getProperty("user.home");
        String pyenvRoot = System.getenv().getOrDefault("PYENV_ROOT", home + "/.pyenv");
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + pyenvRoot + "/shims"
                + File.pathSeparator + home + "/.local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path script = dir.isEmpty() ? null : Path.of(dir, "moto_server");
            if (script != null && Files.isExecutable(script)) {
                String firstLine;
                try (var lines = Files.lines(script)) {
                    firstLine = lines.findFirst().orElse("");
                }
                catch (IOException | UncheckedIOException e) {
                    firstLine = "";
                }
                if (firstLine.startsWith("#!") && firstLine.contains("python")) {
                    return List.of(firstLine.substring(2).trim().split("\\s+"));
                }
                // a pyenv shim is a shell script; its python3 shim sits beside it
                Path sibling = Path.of(dir, "python3");
                if (Files.isExecutable(sibling)) {
                    return List.of(sibling.toString());
                }
            }
        }
        return List.of("python3");
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with " + process.exitValue() + " before it was ready. "
                        + "Install it with: pip install \"moto[server]\". Its output:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(address().resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            }
            catch (ConnectException e) {
                // not listening yet
            }
            catch (IOException e) {
                // starting up
            }
            Thread.sleep(100);
        }
        throw new IOException("moto_server did not answer on " + address() + " within " + STARTUP_TIMEOUT
                + ". Its output:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
