package io.github.lambdaimageprocessor.aws;

/**
 * An AWS call failed for a reason on the infrastructure side (unreachable, throttled, access denied, missing bucket,
 * table or topic): no change of input fixes it, a retry may. The message names what was attempted, the cause is the
 * SDK's exception with the service's error code and request id.
 */
class AwsCallFailedException extends RuntimeException {

    AwsCallFailedException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
