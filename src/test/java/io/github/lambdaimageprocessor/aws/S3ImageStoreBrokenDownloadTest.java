package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A GetObject whose body breaks off: a stub S3 endpoint on the loopback interface sends the headers and half the body,
 * then closes the connection. The SDK has returned by then (the body is streamed), so the HTTP client's own
 * {@link IOException} is what the read meets; it is an unreachable S3, as a refused connection is, not a failure of
 * ours. {@code AwsFailureHttpIT} has the same through the web app and the function against moto.
 */
class S3ImageStoreBrokenDownloadTest {

    private StubS3 stub;

    @BeforeEach
    void startStub() throws IOException {
        stub = new StubS3(S3ImageStoreBrokenDownloadTest::halfTheBody);
    }

    @AfterEach
    void stopStub() throws Exception {
        stub.close();
    }

    /** Each request: 200 with half the body, for a key ending in "-chunked" as one chunk of two, then a hang-up. */
    private static void halfTheBody(String requestLine, OutputStream out) throws IOException {
        boolean chunked = requestLine.contains("-chunked");
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(50_000) + "\r\n"
                        : "Content-Length: 100000\r\n\r\n"))
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[50_000]);
    }

    @ParameterizedTest
    @ValueSource(strings = { "photo.jpg", "photo-chunked.jpg" })
    void aDownloadThatBreaksOffIsAnUnreachableS3NotAnUnclassifiedIoFailure(String key) {
        AwsCallFailedException failure = catchThrowableOfType(AwsCallFailedException.class,
                () -> new S3ImageStore(stub.client()).read(new ObjectRef("uploads", key), null, 1 << 20));

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
