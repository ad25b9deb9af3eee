package io.github.lambdaimageprocessor.api;

import java.time.Duration;

import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ApiException#serviceFailure}: what both flavours of the API answer when S3, DynamoDB or SNS fails. */
class ServiceFailureAnswerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "UNREACHABLE, 503, 10, Service unreachable", "THROTTLED, 503, 1, Service throttling",
            "SERVICE_ERROR, 503, 5, Service failing", "NOT_AUTHORIZED, 502, , Service refused access",
            "NOT_FOUND, 502, , Service resource missing", "WRONG_REGION, 502, , Service resource in another region",
            "KEY_UNUSABLE, 502, , Service encryption key unusable" })
    void eachKnownKindHasItsStatusTitleAndRetryAfterOnlyWhenWaitingHelps(Kind kind, int status, Long retryAfter,
            String title) {
        ApiException answer = ApiException.serviceFailure(failure(kind, "SomeCode")).orElseThrow();

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.title()).isEqualTo(title);
        assertThat(answer.retryAfter()).isEqualTo(java.util.Optional.ofNullable(retryAfter).map(Duration::ofSeconds));
        assertThat(answer.getMessage()).startsWith("DynamoDB ");
    }

    @Test
    void theDetailNamesTheServiceAndItsCodeButNotItsWords() {
        ApiException answer = ApiException.serviceFailure(failure(Kind.NOT_AUTHORIZED, "AccessDeniedException"))
            .orElseThrow();

        assertThat(answer.getMessage()).startsWith("DynamoDB refused this server's request (AccessDeniedException): ")
            .contains("Trying again will not help")
            .doesNotContain("123456789012")
            .doesNotContain("images-table")
            .doesNotContain("PutItem");
    }

    @Test
    void aFailureOfAnUnexpectedKindIsLeftToTheServerError() {
        assertThat(ApiException.serviceFailure(failure(Kind.UNEXPECTED, "ValidationException"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theKindsAnsweredAreExactlyTheKnownOnes(Kind kind) {
        assertThat(ApiException.serviceFailure(failure(kind, "SomeCode")).isPresent()).isEqualTo(kind.known());
    }

    @Test
    void theWarnLineIsTheStatusTheRequestTheSummaryAndTheMessage() {
        ServiceFailureException failure = new ServiceFailureException("S3", "PutObject", Kind.UNREACHABLE, null, null,
                "Failed to write s3://uploads/photo.jpg", null);
        ApiException answer = ApiException.serviceFailure(failure).orElseThrow();

        assertThat(ApiException.serviceFailureLine(answer, "PUT", "/images/photo.jpg", failure))
            .isEqualTo("503 PUT /images/photo.jpg: S3 PutObject failed, unreachable: Failed to write "
                    + "s3://uploads/photo.jpg");
    }

    private static ServiceFailureException failure(Kind kind, String code) {
        return new ServiceFailureException("DynamoDB", "PutItem", kind, code, "REQ-1", "Failed to save the record of "
                + "s3://uploads/a.jpg in DynamoDB table images-table (" + code + "): User: "
                + "arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: dynamodb:PutItem", null);
    }
}
