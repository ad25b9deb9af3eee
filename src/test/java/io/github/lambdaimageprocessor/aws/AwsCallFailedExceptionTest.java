package io.github.lambdaimageprocessor.aws;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Which kind of failure each of the SDK's exceptions is, as the web routes' answers depend on it. */
class AwsCallFailedExceptionTest {

    @Test
    void aRefusedConnectionAnUnknownHostOrATimeoutIsUnreachable() {
        assertThat(AwsCallFailedException.kindOf(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")))).isEqualTo(Kind.UNREACHABLE);
        assertThat(AwsCallFailedException.kindOf(SdkClientException.create("Received an UnknownHostException",
                SdkClientException.create("wrapped", new UnknownHostException("processed.localhost")))))
            .isEqualTo(Kind.UNREACHABLE);
        assertThat(AwsCallFailedException.kindOf(ApiCallTimeoutException.create(5000))).isEqualTo(Kind.UNREACHABLE);
    }

    @Test
    void throttlingIsThrottledEvenWhenItComesAsA503() {
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 503, "SlowDown")))
            .isEqualTo(Kind.THROTTLED);
        assertThat(AwsCallFailedException.kindOf(answer(DynamoDbException.builder(), 400,
                "ProvisionedThroughputExceededException"))).isEqualTo(Kind.THROTTLED);
        assertThat(AwsCallFailedException.kindOf(answer(SnsException.builder(), 429, null))).isEqualTo(Kind.THROTTLED);
    }

    @Test
    void aFailureOfTheServiceItselfIsAServiceError() {
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 500, "InternalError")))
            .isEqualTo(Kind.SERVICE_ERROR);
        assertThat(AwsCallFailedException.kindOf(answer(DynamoDbException.builder(), 503, "ServiceUnavailable")))
            .isEqualTo(Kind.SERVICE_ERROR);
    }

    @Test
    void deniedAccessAndBadCredentialsAreNotAuthorized() {
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 403, "AccessDenied")))
            .isEqualTo(Kind.NOT_AUTHORIZED);
        // a HEAD's refusal has no body, so no code
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 403, null)))
            .isEqualTo(Kind.NOT_AUTHORIZED);
        // DynamoDB's come as a 400
        assertThat(AwsCallFailedException.kindOf(answer(DynamoDbException.builder(), 400,
                "UnrecognizedClientException"))).isEqualTo(Kind.NOT_AUTHORIZED);
        assertThat(AwsCallFailedException.kindOf(answer(SnsException.builder(), 400, "ExpiredToken")))
            .isEqualTo(Kind.NOT_AUTHORIZED);
        assertThat(AwsCallFailedException.kindOf(SdkClientException
            .create("Unable to load credentials from any of the providers in the chain"))).isEqualTo(Kind.NOT_AUTHORIZED);
    }

    @Test
    void aMissingBucketTableOrTopicIsNotFound() {
        assertThat(AwsCallFailedException.kindOf(answer(NoSuchBucketException.builder(), 404, "NoSuchBucket")))
            .isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 404, "NoSuchBucket")))
            .isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsCallFailedException.kindOf(answer(ResourceNotFoundException.builder(), 400,
                "ResourceNotFoundException"))).isEqualTo(Kind.NOT_FOUND);
        assertThat(AwsCallFailedException.kindOf(answer(NotFoundException.builder(), 404, "NotFound")))
            .isEqualTo(Kind.NOT_FOUND);
        // the active-region switch of a two-region pair: SSM answers a missing parameter with a 400
        assertThat(AwsCallFailedException.kindOf(answer(ParameterNotFoundException.builder(), 400,
                "ParameterNotFound"))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void aBucketInAnotherRegionIsWrongRegion() {
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 301, "PermanentRedirect")))
            .isEqualTo(Kind.WRONG_REGION);
        // a HEAD's redirect has no body, so no code
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 301, null)))
            .isEqualTo(Kind.WRONG_REGION);
        // a global endpoint asked with a signature for the wrong region
        assertThat(AwsCallFailedException.kindOf(answer(S3Exception.builder(), 400, "AuthorizationHeaderMalformed")))
            .isEqualTo(Kind.WRONG_REGION);
    }

    @Test
    void theLogSaysWhereS3SaysTheBucketIsAndTheCodeSaysItIsAnotherRegion() {
        AwsCallFailedException e = new AwsCallFailedException("S3", "GetObject", "Failed to read s3://uploads/a.jpg",
                S3Exception.builder()
                    .statusCode(301)
                    .message("The bucket you are attempting to access must be addressed using the specified endpoint.")
                    .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("PermanentRedirect")
                        .sdkHttpResponse(SdkHttpResponse.builder()
                            .statusCode(301)
                            .putHeader("x-amz-bucket-region", "eu-west-1")
                            .build())
                        .build())
                    .build());

        assertThat(e.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(e.getMessage()).startsWith("Failed to read s3://uploads/a.jpg (PermanentRedirect): ")
            .endsWith("; S3 says the bucket is in eu-west-1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // S3 on an SSE-KMS bucket passes KMS's own codes on
            "S3, 400, KMS.DisabledException, KEY_UNUSABLE", "S3, 400, KMS.NotFoundException, KEY_UNUSABLE",
            "S3, 400, KMS.KMSInvalidStateException, KEY_UNUSABLE", "S3, 400, KMS.InvalidKeyUsageException, KEY_UNUSABLE",
            "S3, 403, KMS.AccessDeniedException, NOT_AUTHORIZED", "S3, 400, KMS.ThrottlingException, THROTTLED",
            "S3, 500, KMS.KeyUnavailableException, SERVICE_ERROR", "S3, 500, KMS.KMSInternalException, SERVICE_ERROR",
            // SNS on an encrypted topic, and Lambda's and DynamoDB's spelling
            "SNS, 400, KMSDisabled, KEY_UNUSABLE", "SNS, 400, KMSNotFound, KEY_UNUSABLE",
            "SNS, 400, KMSInvalidState, KEY_UNUSABLE", "SNS, 400, KMSAccessDenied, NOT_AUTHORIZED",
            "SNS, 403, KMSOptInRequired, NOT_AUTHORIZED", "SNS, 400, KMSThrottling, THROTTLED",
            "DynamoDB, 400, KMSAccessDeniedException, NOT_AUTHORIZED",
            "DynamoDB, 400, KMSDisabledException, KEY_UNUSABLE",
            // SQS on an encrypted queue (the failure queue)
            "SQS, 400, KmsDisabled, KEY_UNUSABLE", "SQS, 400, KmsThrottled, THROTTLED" })
    void aKmsKeyTheServiceCannotUseIsKeyUnusableAndOneItMayNotUseIsNotAuthorized(String service, int status,
            String code, Kind kind) {
        AwsServiceException.Builder builder = switch (service) {
            case "S3" -> S3Exception.builder();
            case "SNS" -> SnsException.builder();
            case "DynamoDB" -> DynamoDbException.builder();
            default -> SqsException.builder();
        };

        assertThat(AwsCallFailedException.kindOf(answer(builder, status, code))).isEqualTo(kind);
    }

    @Test
    void aRequestTheServiceFindsInvalidOrAnAnswerTheSdkCannotReadIsUnexpected() {
        assertThat(AwsCallFailedException.kindOf(answer(DynamoDbException.builder(), 400, "ValidationException")))
            .isEqualTo(Kind.UNEXPECTED);
        assertThat(AwsCallFailedException.kindOf(SdkClientException.create("Unable to unmarshall response")))
            .isEqualTo(Kind.UNEXPECTED);
    }

    @Test
    void aCauseChainThatLoopsIsReadToItsEndNotForever() {
        // the walk stops at a cause seen before (processing.Causes), where it went round the loop for ever
        IllegalStateException cause = new IllegalStateException("a cause whose cause is the failure itself");
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request", cause);
        cause.initCause(failure);

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> AwsCallFailedException.kindOf(failure)))
            .isEqualTo(Kind.UNEXPECTED);
    }

    @Test
    void itCarriesTheServiceTheCallTheCodeAndTheRequestIdAndKeepsItsMessage() {
        AwsCallFailedException e = new AwsCallFailedException("S3", "PutObject", "Failed to write s3://processed/a.jpg",
                answer(S3Exception.builder().requestId("REQ-1"), 403, "AccessDenied"));

        assertThat(e.service()).isEqualTo("S3");
        assertThat(e.operation()).isEqualTo("PutObject");
        assertThat(e.kind()).isEqualTo(Kind.NOT_AUTHORIZED);
        assertThat(e.errorCode()).isEqualTo("AccessDenied");
        assertThat(e.requestId()).isEqualTo("REQ-1");
        assertThat(e.getMessage()).startsWith("Failed to write s3://processed/a.jpg (AccessDenied): ");
    }

    @Test
    void aFailureWithoutAnAnswerHasNoCodeAndNoRequestId() {
        AwsCallFailedException e = new AwsCallFailedException("DynamoDB", "GetItem", "Failed to read",
                SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused")));

        assertThat(e.errorCode()).isNull();
        assertThat(e.requestId()).isNull();
        assertThat(e.getMessage()).isEqualTo("Failed to read: Unable to execute HTTP request");
    }

    private static SdkException answer(AwsServiceException.Builder builder, int status, String code) {
        return builder.statusCode(status)
            .message("the service's words")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("the service's words").build())
            .build();
    }
}
