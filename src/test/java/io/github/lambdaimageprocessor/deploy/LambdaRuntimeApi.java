package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The part of the <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Lambda Runtime API</a>
 * a Java runtime talks to, served on loopback: the runtime long-polls {@code invocation/next} for an event and
 * posts its {@code response} or {@code error}; initialisation failures go to {@code init/error}; with SnapStart the
 * runtime reports readiness for a snapshot on {@code restore/next}.
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private static final Pattern RESULT = Pattern.compile(PREFIX + "invocation/([^/]+)/(response|error)");

    private final HttpServer server;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();

    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();

    private final CompletableFuture<Result> initError = new CompletableFuture<>();

    private final List<String> restores = new CopyOnWriteArrayList<>();

    private final String functionArn;

    private volatile boolean closed;

    public LambdaRuntimeApi(String functionArn) throws IOException {
        this.functionArn = functionArn;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(this.executor);
        this.server.createContext(PREFIX, this::handle);
        this.server.start();
    }

    /** What {@code AWS_LAMBDA_RUNTIME_API} is set to: host and port, no scheme. */
    public String address() {
        return "127.0.0.1:" + this.server.getAddress().getPort();
    }

    /**
     * Hands the event to the runtime and waits for its answer, as Lambda does for one invocation.
     * @throws IllegalStateException if the runtime reported an initialisation error instead
     */
    public Result invoke(String event, Duration timeout) throws InterruptedException, TimeoutException {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event,
                Instant.now().plus(timeout).toEpochMilli());
        CompletableFuture<Result> result = new CompletableFuture<>();
        this.results.put(invocation.requestId(), result);
        this.pending.add(invocation);
        try {
            return CompletableFuture.anyOf(result, this.initError.thenApply(error -> {
                throw new IllegalStateException("the runtime failed to initialise: " + error);
            })).thenApply(Result.class::cast).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    public Optional<Result> initError() {
        return Optional.ofNullable(this.initError.getNow(null));
    }

    public List<String> restores() {
        return List.copyOf(this.restores);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Matcher result = RESULT.matcher(path);
            if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
            }
            else if (method.equals("POST") && result.matches()) {
                CompletableFuture<Result> future = this.results.get(result.group(1));
                if (future == null) {
                    respond(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
                    return;
                }
                future.complete(new Result(result.group(1), result.group(2).equals("response"), text(body),
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            }
            else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
                this.initError.complete(new Result(null, false, text(body),
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            }
            else if (method.equals("GET") && path.equals(PREFIX + "restore/next")) {
                // SnapStart: the runtime ran its beforeCheckpoint hooks; answering restores it at once.
                this.restores.add(Instant.now().toString());
                respond(exchange, 200, "");
            }
            else {
                respond(exchange, 404, "{\"errorMessage\":\"not part of this Runtime API: " + method + " " + path
                        + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation = null;
        while (invocation == null && !this.closed) {
            try {
                invocation = this.pending.poll(200, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (invocation == null) {
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", this.functionArn);
        exchange.getResponseHeaders()
            .add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000)
                    + "-" + invocation.requestId().replace("-", "").substring(0, 24) + ";Parent=" + "0".repeat(16)
                    + ";Sampled=0");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        respond(exchange, 200, invocation.event());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        this.closed = true;
        this.server.stop(0);
        this.executor.shutdownNow();
    }

    private record Invocation(String requestId, String event, long deadlineMs) {
    }

    /**
     * What the runtime posted for one invocation.
     * @param requestId the invocation's {@code Lambda-Runtime-Aws-Request-Id}
     * @param success {@code response} (true) or {@code error} (false)
     * @param body the function's JSON answer, or the error document
     * @param errorType the {@code Lambda-Runtime-Function-Error-Type} header of an error
     */
    public record Result(String requestId, boolean success, String body, String errorType) {
    }
}
