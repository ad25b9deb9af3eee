package io.github.lambdaimageprocessor.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A GetObject whose body breaks off: a stub S3 endpoint on the loopback interface sends the headers and half the body,
 * then closes the connection. The SDK has returned by then (the body is streamed), so the HTTP client's own
 * {@link IOException} is what the read meets; it is an unreachable S3, as a refused connection is, not a failure of
 * ours. {@code AwsFailureHttpIT} has the same through the web app and the function against moto.
 */
class S3ImageStoreBrokenDownloadTest {

    private ServerSocket server;

    private Thread stub;

    private S3Client s3;

    @BeforeEach
    void startStub() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        stub = Thread.ofVirtual().start(this::serve);
        s3 = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getLocalPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .forcePathStyle(true)
            .build();
    }

    @AfterEach
    void stopStub() throws Exception {
        s3.close();
        server.close();
        stub.join();
    }

    /** Each request: 200 with half the body, for a key ending in "-chunked" as one chunk of two, then a hang-up. */
    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader request = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String requestLine = request.readLine();
                for (String header = request.readLine(); header != null && !header.isEmpty();) {
                    header = request.readLine();
                }
                boolean chunked = requestLine != null && requestLine.contains("-chunked");
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(50_000) + "\r\n"
                                : "Content-Length: 100000\r\n\r\n"))
                    .getBytes(StandardCharsets.ISO_8859_1));
                out.write(new byte[50_000]);
                out.flush();
            }
            catch (IOException closed) {
                // the test is over, or the client hung up first
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "photo.jpg", "photo-chunked.jpg" })
    void aDownloadThatBreaksOffIsAnUnreachableS3NotAnUnclassifiedIoFailure(String key) {
        AwsCallFailedException failure = catchThrowableOfType(AwsCallFailedException.class,
                () -> new S3ImageStore(s3).read(new ObjectRef("uploads", key), null, 1 << 20));

        assertThat(failure).isNotNull();
        assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(failure.service()).isEqualTo("S3");
        assertThat(failure.operation()).isEqualTo("GetObject");
        assertThat(failure.errorCode()).isNull();
        assertThat(failure.getMessage())
            .startsWith("Failed to read s3://uploads/" + key + ": the download broke off: ");
        assertThat(failure).hasCauseInstanceOf(IOException.class);
    }
}
