package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.lambdaimageprocessor.processing.Causes;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * An AWS call failed for a reason on the infrastructure side (unreachable, throttled, access denied, missing bucket,
 * table, topic or parameter): no change of input fixes it, a retry may. The message names what was attempted and the service's
 * error code, the cause is the SDK's exception (with the AWS request id). The core sees it as the
 * {@link ServiceFailureException} it is, with the kind of failure read from the SDK's exception here, where the SDK's
 * types are known.
 */
class AwsCallFailedException extends ServiceFailureException {

    /**
     * Refusals of the caller by its credentials or permissions, across S3, DynamoDB, SNS and SQS: most come as a 403,
     * but DynamoDB's and the query services' arrive as a 400 with one of these codes.
     */
    private static final Set<String> NOT_AUTHORIZED = Set.of("AccessDenied", "AccessDeniedException",
            "AuthorizationError", "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken",
            "ExpiredToken", "ExpiredTokenException");

    /**
     * S3's answers for a bucket in another region than the client's: {@code 301 PermanentRedirect} (a HEAD's has no
     * body, so no code: its status tells), and {@code 400 AuthorizationHeaderMalformed} when the request went to a
     * global endpoint signed for the wrong region ("the region 'us-east-1' is wrong; expecting 'eu-west-1'"), which
     * nothing else makes of the SDK's signatures. DynamoDB and SNS have no such answer: a table or topic of another
     * region is simply not found.
     */
    private static final Set<String> WRONG_REGION = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed");

    /**
     * A KMS failure of a service that encrypts with a customer's key, by what follows the prefix: S3 passes KMS's own
     * code on ({@code KMS.DisabledException}, {@code KMS.KMSInvalidStateException}), SNS and Lambda have their own
     * ({@code KMSDisabled}, {@code KMSAccessDeniedException}), SQS its own spelling ({@code KmsNotFound}). Compared
     * without case, the prefix and the {@code Exception} suffix.
     */
    private static final Map<String, Kind> KMS_ERRORS = Map.ofEntries(Map.entry("accessdenied", Kind.NOT_AUTHORIZED),
            Map.entry("optinrequired", Kind.NOT_AUTHORIZED), Map.entry("disabled", Kind.KEY_UNUSABLE),
            Map.entry("notfound", Kind.KEY_UNUSABLE), Map.entry("invalidstate", Kind.KEY_UNUSABLE),
            Map.entry("invalidkeyusage", Kind.KEY_UNUSABLE), Map.entry("throttling", Kind.THROTTLED),
            Map.entry("throttled", Kind.THROTTLED), Map.entry("keyunavailable", Kind.SERVICE_ERROR),
            Map.entry("internal", Kind.SERVICE_ERROR), Map.entry("dependencytimeout", Kind.SERVICE_ERROR));

    /**
     * @param service the service as operators name it: S3, DynamoDB, SNS, SQS, SSM
     * @param operation the API operation that failed (GetObject, PutItem, Publish), as IAM's actions name it
     */
    AwsCallFailedException(String service, String operation, String attempted, SdkException cause) {
        super(service, operation, kindOf(cause), code(cause), cause instanceof AwsServiceException answered
                ? answered.requestId() : null, attempted + errorCode(cause) + ": " + cause.getMessage()
                        + bucketRegion(cause), cause);
    }

    /**
     * A call whose answer broke off after the SDK had handed it over: a streamed body (GetObject's) is read after the
     * call returned, so a connection reset or closed mid-download reaches the caller as the bare {@link IOException}
     * of the HTTP client, not as the SDK's exception. It is the network's failure, as a refused connection is.
     */
    AwsCallFailedException(String service, String operation, String attempted, IOException cause) {
        super(service, operation, Kind.UNREACHABLE, null, null, attempted + ": " + cause.getMessage(), cause);
    }

    /**
     * What kind of failure the SDK's exception is. Throttling first: S3's SlowDown is a 503, which would otherwise read
     * as an outage. An answer the SDK could not classify, and a client-side failure that is not the network's (a
     * response it could not parse, a request it would not send), is {@link Kind#UNEXPECTED}: a defect, not a
     * condition of the service.
     */
    static Kind kindOf(SdkException e) {
        if (e instanceof AwsServiceException answered) {
            String code = code(answered);
            if (answered.isThrottlingException()) {
                return Kind.THROTTLED;
            }
            Kind kms = kindOfKmsError(code);
            if (kms != null) {
                return kms;
            }
            if (e instanceof NoSuchBucketException || e instanceof ResourceNotFoundException
                    || e instanceof NotFoundException || e instanceof QueueDoesNotExistException
                    || e instanceof ParameterNotFoundException || "NoSuchBucket".equals(code)) {
                return Kind.NOT_FOUND;
            }
            if (answered.statusCode() == 301 || code != null && WRONG_REGION.contains(code)) {
                return Kind.WRONG_REGION;
            }
            if (answered.statusCode() == 401 || answered.statusCode() == 403 || NOT_AUTHORIZED.contains(code)) {
                return Kind.NOT_AUTHORIZED;
            }
            return answered.statusCode() >= 500 ? Kind.SERVICE_ERROR : Kind.UNEXPECTED;
        }
        if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
            // no call can be signed until the environment gives credentials
            return Kind.NOT_AUTHORIZED;
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Kind.UNREACHABLE;
        }
        // refused, reset, unknown host, TLS, no response: the SDK wraps each as the IOException it is
        return Causes.first(e.getCause(), IOException.class).isPresent() ? Kind.UNREACHABLE : Kind.UNEXPECTED;
    }

    /**
     * The kind of a KMS failure passed on by the service, or null for a code that is not one. A key that is disabled,
     * pending deletion or gone is not a missing bucket, table or topic, so it has a kind of its own; a key the caller
     * may not use is access denied like any other permission; KMS throttling or failing passes.
     */
    private static Kind kindOfKmsError(String code) {
        if (code == null || !code.regionMatches(true, 0, "kms", 0, 3)) {
            return null;
        }
        String name = code.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] { "kms.", "kms" }) {
            name = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        }
        name = name.endsWith("exception") ? name.substring(0, name.length() - "exception".length()) : name;
        return KMS_ERRORS.get(name);
    }

    /**
     * Where S3 says the bucket is, for the log only ("; S3 says the bucket is in eu-west-1"): the operator's first
     * question, which the client's answer does not give away.
     */
    private static String bucketRegion(SdkException cause) {
        if (cause instanceof AwsServiceException answered && answered.awsErrorDetails() != null
                && answered.awsErrorDetails().sdkHttpResponse() != null && kindOf(cause) == Kind.WRONG_REGION) {
            return answered.awsErrorDetails()
                .sdkHttpResponse()
                .firstMatchingHeader("x-amz-bucket-region")
                .map(region -> "; S3 says the bucket is in " + region)
                .orElse("");
        }
        return "";
    }

    /** The service's error code in parentheses, or nothing when the failure has none (unreachable, timed out). */
    static String errorCode(SdkException cause) {
        String code = code(cause);
        return code == null ? "" : " (" + code + ")";
    }

    private static String code(SdkException cause) {
        if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return null;
    }
}
