package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnusableException;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler(DefaultSettings.PROPERTIES);

    @Test
    void aFullDiskIsA507SayingSo() {
        // what the local store makes of FileChannel.write's failure on a full disk
        ProblemDetail problem = handler.storage(new StorageUnavailableException(Reason.OUT_OF_SPACE,
                "Failed to write s3://uploads/a.jpg", new IOException("No space left on device")));

        assertThat(problem.getStatus()).isEqualTo(507);
        assertThat(problem.getDetail()).startsWith("The local store is out of disk space: Failed to write "
                + "s3://uploads/a.jpg");
    }

    @Test
    void aReadOnlyFolderIsA503SayingSo() {
        ProblemDetail problem = handler.storage(new StorageUnavailableException(Reason.READ_ONLY,
                "Failed to write s3://uploads/a.jpg",
                new FileSystemException("/data/uploads/.tmp-1.part", null, "Read-only file system")));

        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getTitle()).isEqualTo("Storage read-only");
    }

    @Test
    void aFolderTheAppMayNotWriteIsA503SayingWhatToDo() {
        ProblemDetail problem = handler.storage(new StorageUnavailableException(Reason.PERMISSION_DENIED,
                "Failed to lock the metadata record of s3://uploads/a.jpg (permission denied: /data/.metadata/.locks/55)",
                new java.nio.file.AccessDeniedException("/data/.metadata/.locks/55")));

        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getTitle()).isEqualTo("Storage not writable");
        assertThat(problem.getDetail()).contains("(permission denied: /data/.metadata/.locks/55)")
            .contains("as another user");
    }

    @Test
    void anyOtherIoFailureIsLeftToTheServerErrorItIs() {
        // even one whose words say "full": the store, which can ask the file system, decides what is a full disk
        UncheckedIOException broken = new UncheckedIOException("Failed to read",
                new IOException("No space left on device"));

        assertThatThrownBy(() -> handler.storage(broken)).isSameAs(broken);
    }

    @Test
    void aServiceThatPassesIsA503WithRetryAfter() {
        ServiceFailureException throttled = failure(Kind.THROTTLED, "SlowDown");

        ResponseEntity<ProblemDetail> answer = handler.serviceFailure(throttled, throttled, upload());

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().getTitle()).isEqualTo("Service throttling");
        assertThat(answer.getBody().getDetail()).startsWith("S3 is throttling this server's requests (SlowDown)");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aServiceFailureIsOneWarnLineAsTheHttpApiWritesIt(CapturedOutput output) {
        ServiceFailureException refused = failure(Kind.NOT_AUTHORIZED, "AccessDenied");

        handler.serviceFailure(refused, refused, upload());

        assertThat(output.getOut()).contains("WARN", "502 PUT /images/a.jpg: S3 PutObject failed, not authorized, "
                + "error code AccessDenied, request id REQ-1: Failed to write s3://uploads/a.jpg (AccessDenied): ...")
            .doesNotContain("\tat ");
    }

    @Test
    void aServiceThatRefusesTheServerIsA502WithoutRetryAfter() {
        ServiceFailureException refused = failure(Kind.NOT_AUTHORIZED, "AccessDenied");

        ResponseEntity<ProblemDetail> answer = handler.serviceFailure(refused, refused, upload());

        assertThat(answer.getStatusCode().value()).isEqualTo(502);
        assertThat(answer.getHeaders().containsHeader("Retry-After")).isFalse();
        assertThat(answer.getBody().getDetail()).startsWith("S3 refused this server's request (AccessDenied)");
    }

    @Test
    void aServiceFailureOfAnUnexpectedKindIsLeftToTheServerErrorItIs() {
        ServiceFailureException unexpected = failure(Kind.UNEXPECTED, "InvalidArgument");

        assertThatThrownBy(() -> handler.serviceFailure(unexpected, unexpected, upload())).isSameAs(unexpected);
    }

    @Test
    void aSwitchHoldingAnUnusableValueIsA502NamingTheSwitchButNotItsValue() {
        ActiveRegionUnusableException unusable = new ActiveRegionUnusableException("SSM parameter "
                + "/image-processor/active-region names us-east-2, which is neither this region (us-east-1) nor its "
                + "peer (eu-west-1): fix the switch");

        ResponseEntity<ProblemDetail> answer = handler.activeRegion(unusable, unusable, upload());

        assertThat(answer.getStatusCode().value()).isEqualTo(502);
        assertThat(answer.getHeaders().containsHeader("Retry-After")).isFalse();
        assertThat(answer.getBody().getTitle()).isEqualTo("Active-region switch unusable");
        assertThat(answer.getBody().getDetail()).doesNotContain("us-east-2").doesNotContain("/image-processor");
    }

    @Test
    void anUnusableSwitchHeldByTheCacheIsA502Too() {
        // what CachedActiveRegion throws while it holds a failed read
        ActiveRegionUnavailableException held = new ActiveRegionUnavailableException("SSM parameter /x holds "
                + "'primary', ... (the last read, 300 ms ago; ...)",
                new ActiveRegionUnusableException("SSM parameter /x holds 'primary', ..."));

        ResponseEntity<ProblemDetail> answer = handler.activeRegion(held, held, upload());

        assertThat(answer.getStatusCode().value()).isEqualTo(502);
        assertThat(answer.getBody().getTitle()).isEqualTo("Active-region switch unusable");
    }

    @Test
    void anUnreadableSwitchIsAnsweredAsTheServiceFailureUnderIt() {
        ActiveRegionUnavailableException held = new ActiveRegionUnavailableException("held",
                new ActiveRegionUnavailableException("Failed to read SSM parameter /x", new ServiceFailureException(
                        "SSM", "GetParameter", Kind.THROTTLED, "ThrottlingException", "REQ-1", "...", null)));

        ResponseEntity<ProblemDetail> answer = handler.activeRegion(held, held, upload());

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getBody().getTitle()).isEqualTo("Service throttling");
    }

    @Test
    void aSwitchFailureOfNoKnownKindIsLeftToTheServerErrorItIs() {
        ActiveRegionUnavailableException unknown = new ActiveRegionUnavailableException("?");

        assertThatThrownBy(() -> handler.activeRegion(unknown, unknown, upload())).isSameAs(unknown);
    }

    private static ServiceFailureException failure(Kind kind, String code) {
        return new ServiceFailureException("S3", "PutObject", kind, code, "REQ-1", "Failed to write "
                + "s3://uploads/a.jpg (" + code + "): ...", null);
    }

    private static MockHttpServletRequest upload() {
        return new MockHttpServletRequest("PUT", "/images/a.jpg");
    }
}
