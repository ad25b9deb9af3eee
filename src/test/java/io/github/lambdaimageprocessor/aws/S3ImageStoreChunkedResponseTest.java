package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * GetObject answered without a Content-Length (chunked transfer encoding), which moto never does but S3-compatible
 * servers and proxies may: a small stub S3 endpoint on the loopback interface streams the body.
 */
class S3ImageStoreChunkedResponseTest {

    private static final int LIMIT = 1 << 20;

    /** What the stub offers to send for the large object: far more than the limit, finite so a failure cannot hang. */
    private static final long OFFERED = 256L << 20;

    private HttpServer server;

    private S3Client s3;

    private final AtomicLong sent = new AtomicLong();

    private final CompletableFuture<Boolean> hungUpOn = new CompletableFuture<>();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/uploads/small.jpg", exchange -> respondChunked(exchange, 1000));
        server.createContext("/uploads/exactly-the-limit.jpg", exchange -> respondChunked(exchange, LIMIT));
        server.createContext("/uploads/endless.jpg", exchange -> respondChunked(exchange, OFFERED));
        server.start();
        s3 = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .forcePathStyle(true)
            .build();
    }

    @AfterEach
    void stopStub() {
        s3.close();
        server.stop(0);
    }

    /** Sends {@code size} bytes of 0x2A with no Content-Length, counting what got out, until the client hangs up. */
    private void respondChunked(HttpExchange exchange, long size) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 0x2A);
        try (OutputStream body = exchange.getResponseBody()) {
            for (long left = size; left > 0; left -= chunk.length) {
                int length = (int) Math.min(chunk.length, left);
                body.write(chunk, 0, length);
                sent.addAndGet(length);
            }
            hungUpOn.complete(false);
        }
        catch (IOException e) {
            hungUpOn.complete(true);
        }
    }

    @Test
    void readsAnObjectOfUnannouncedSizeWithinTheLimit() {
        S3ImageStore store = new S3ImageStore(s3);

        byte[] small = store.read(new ObjectRef("uploads", "small.jpg"), null, LIMIT).orElseThrow().content();
        byte[] full = store.read(new ObjectRef("uploads", "exactly-the-limit.jpg"), null, LIMIT).orElseThrow()
            .content();

        assertThat(small).hasSize(1000).containsOnly(0x2A);
        assertThat(full).hasSize(LIMIT);
    }

    @Test
    void refusesAnObjectOfUnannouncedSizeAfterOneByteOverTheLimitAndHangsUp() throws Exception {
        S3ImageStore store = new S3ImageStore(s3);

        ObjectTooLargeException refused = catchThrowableOfType(ObjectTooLargeException.class,
                () -> store.read(new ObjectRef("uploads", "endless.jpg"), null, LIMIT));

        assertThat(refused).isNotNull();
        assertThat(refused.sizeKnown()).isFalse();
        assertThat(refused.getMessage()).isEqualTo("s3://uploads/endless.jpg is more than " + LIMIT + " bytes");
        // the connection was dropped rather than drained: the stub could not send the rest, only what the socket
        // buffers held beyond the limit
        assertThat(hungUpOn.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sent.get()).isLessThan(OFFERED / 4);
    }
}
