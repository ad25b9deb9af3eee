package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Function;

import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.S3Events;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.Message;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.lambdaimageprocessor.function.S3Events.event;
import static io.github.lambdaimageprocessor.function.S3Events.json;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The application in profile {@code aws} when AWS cannot be reached at all: its endpoint is a loopback port nobody
 * listens on, so every call is refused. The event fails (Lambda retries it) instead of reporting success. The shared
 * moto server stays up for the other tests; none is needed here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("aws")
class AwsOutageIT {

    @Autowired
    @Qualifier("processImage")
    Function<Message<byte[]>, List<ProcessedImage>> processImage;

    @DynamicPropertySource
    static void unreachableAws(DynamicPropertyRegistry registry) {
        AwsFixture.applicationProperties(java.net.URI.create("http://127.0.0.1:" + closedPort()))
            .forEach((name, value) -> registry.add(name, () -> value));
    }

    @Test
    void anUnreachableAwsFailsTheEventInsteadOfReportingSuccess() {
        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> processImage
                .apply(json(event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg")))))
            .withMessageContaining("1 of 1 records failed")
            .withMessageContaining("Failed to read the record of s3://uploads/photo.jpg")
            .withRootCauseInstanceOf(ConnectException.class);
    }

    /** A loopback port that was free a moment ago and that nothing here listens on. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
