package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An AWS endpoint on the loopback interface that passes every request on to moto, except the first {@code storm}
 * requests to which {@code faultOf} gives a {@link Fault}: those it answers as that fault says. Tests point
 * {@code spring.cloud.aws.s3.endpoint} (or the shared endpoint) at it; the other services keep talking to moto.
 */
final class FaultProxy implements AutoCloseable {

    /** What the proxy does to a request picked for a fault. */
    enum Fault {
        /** S3's {@code 503 SlowDown}, as S3 answers while a prefix is scaling. Not passed on. */
        SLOW_DOWN,
        /**
         * Passed on, and moto's answer sent with its full Content-Length but only half its body before the connection
         * is closed: a download that breaks off, as a reset connection or a dying proxy leaves it.
         */
        CUT_OFF,
        /**
         * S3's {@code 301 PermanentRedirect} for a bucket in another region (eu-west-1) than the client's, which moto,
         * serving every bucket in every region, never answers. Not passed on.
         */
        PERMANENT_REDIRECT
    }

    /** Headers the JDK's client sets itself (and refuses), or that describe the hop rather than the message. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "date", "keep-alive");

    private static final String SLOW_DOWN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>\
            <RequestId>THROTTLED</RequestId></Error>""";

    private static final String PERMANENT_REDIRECT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed \
            using the specified endpoint. Please send all future requests to this endpoint.</Message>\
            <Endpoint>uploads.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>uploads</Bucket>\
            <RequestId>REDIRECTED</RequestId></Error>""";

    private final HttpServer server;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI target;

    private final Function<HttpExchange, Fault> faultOf;

    private final AtomicInteger stormLeft;

    private final AtomicInteger slowDowns = new AtomicInteger();

    /** @param faultOf the fault for a request, or null to pass it on untouched */
    FaultProxy(URI target, int storm, Function<HttpExchange, Fault> faultOf) throws IOException {
        this.target = target;
        this.faultOf = faultOf;
        this.stormLeft = new AtomicInteger(storm);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many requests it answered with SlowDown. */
    int slowDowns() {
        return slowDowns.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Fault fault = faultOf.apply(exchange);
            if (fault == null || stormLeft.getAndDecrement() <= 0) {
                forward(exchange, body, false);
            }
            else if (fault == Fault.CUT_OFF) {
                forward(exchange, body, true);
            }
            else if (fault == Fault.PERMANENT_REDIRECT) {
                byte[] error = PERMANENT_REDIRECT.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.getResponseHeaders().set("x-amz-bucket-region", "eu-west-1");
                exchange.sendResponseHeaders(301, error.length);
                exchange.getResponseBody().write(error);
            }
            else {
                slowDowns.incrementAndGet();
                byte[] error = SLOW_DOWN.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(503, error.length);
                exchange.getResponseBody().write(error);
            }
        }
    }

    private void forward(HttpExchange exchange, byte[] body, boolean cutOff) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean head = exchange.getRequestMethod().equals("HEAD");
        byte[] content = response.body();
        if (head) {
            // the object's size, as S3 gives it to a HEAD: the JDK server sends no body and keeps this header
            response.headers().firstValue("content-length")
                .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        }
        exchange.sendResponseHeaders(response.statusCode(), head || content.length == 0 ? -1 : content.length);
        if (!head && content.length > 0) {
            // fewer bytes than announced: closing the stream fails, and that failure, out of the handler, has the JDK's
            // server close the connection
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content, 0, cutOff ? content.length / 2 : content.length);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
    }
}
