package io.github.lambdaimageprocessor.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call failed for a reason on the infrastructure side (unreachable, throttled, access denied, missing bucket,
 * table or topic): no change of input fixes it, a retry may. The message names what was attempted and the service's
 * error code, the cause is the SDK's exception (with the AWS request id).
 */
class AwsCallFailedException extends RuntimeException {

    AwsCallFailedException(String attempted, SdkException cause) {
        super(attempted + errorCode(cause) + ": " + cause.getMessage(), cause);
    }

    /** The service's error code in parentheses, or nothing when the failure has none (unreachable, timed out). */
    static String errorCode(SdkException cause) {
        if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return " (" + service.awsErrorDetails().errorCode() + ")";
        }
        return "";
    }
}
