package io.github.lambdaimageprocessor.processing;

import java.util.Locale;
import java.util.Objects;

/**
 * A call to a service behind a port (the object store, the records, the notifier) failed on the service's side, not
 * the input's, and the adapter could tell how: whether waiting may cure it (an outage, throttling) or only the
 * operator can (access denied, a bucket, table or topic that does not exist or is in another region, an encryption
 * key that cannot be used). An infrastructure failure like any
 * other, so the function fails and its event is retried; a caller that answers clients (the HTTP routes) tells them
 * which it is instead of a bare server error.
 */
public class ServiceFailureException extends RuntimeException {

    /** How the call failed. */
    public enum Kind {
        /** No answer: the connection was refused or broke, the host is unknown, or the call timed out. */
        UNREACHABLE,
        /** The service asked for fewer calls (throttling, S3's SlowDown). */
        THROTTLED,
        /** The service answered with a failure of its own (a 5xx): an outage on its side. */
        SERVICE_ERROR,
        /** The service refused this caller: access denied, or credentials missing, invalid or expired. */
        NOT_AUTHORIZED,
        /** The bucket, table, topic, queue or parameter the call named does not exist. */
        NOT_FOUND,
        /**
         * The bucket the call named is in another region than the one the call went to (S3's
         * {@code PermanentRedirect}): the server's region, or the bucket it is configured with, is wrong.
         */
        WRONG_REGION,
        /**
         * The KMS key that encrypts what the call named (an SSE-KMS bucket, an encrypted topic, queue or table) is
         * disabled, pending deletion, gone or not a key for this use, so the service can neither read nor write with it.
         */
        KEY_UNUSABLE,
        /** Anything else, such as a request the service found invalid: most likely a defect of ours. */
        UNEXPECTED;

        /**
         * Whether a failure of this kind is one the adapter could name, so that what it says (the service, the call,
         * the kind, the code) is all an operator needs: the HTTP routes answer it with a 503 or 502 of its own and one
         * WARN line, the function logs it in one line without its stack trace. A failure of any other kind may be a
         * defect of ours, so it keeps its 500 and its stack. Decided here alone, so that a new kind is known to every
         * caller or to none; the switch has no default, so a new kind does not compile until it is decided here.
         */
        public boolean known() {
            return switch (this) {
                case UNREACHABLE, THROTTLED, SERVICE_ERROR, NOT_AUTHORIZED, NOT_FOUND, WRONG_REGION,
                        KEY_UNUSABLE -> true;
                case UNEXPECTED -> false;
            };
        }
    }

    private final String service;

    private final String operation;

    private final Kind kind;

    private final String errorCode;

    private final String requestId;

    /**
     * @param service the service as operators name it ({@code S3}, {@code DynamoDB}, {@code SNS})
     * @param operation the service's name for the call ({@code PutObject}), the one its permissions use
     * @param errorCode the service's error code ({@code AccessDenied}), or null when it gave none (no answer)
     * @param requestId the service's id of the failed request, or null when there was no answer
     */
    public ServiceFailureException(String service, String operation, Kind kind, String errorCode, String requestId,
            String message, Throwable cause) {
        super(message, cause);
        this.service = Objects.requireNonNull(service, "service");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    public String service() {
        return service;
    }

    public String operation() {
        return operation;
    }

    public Kind kind() {
        return kind;
    }

    /** The service's error code, or null. */
    public String errorCode() {
        return errorCode;
    }

    /** The service's request id, or null. */
    public String requestId() {
        return requestId;
    }

    /**
     * What an operator looks up, in one line: {@code SNS Publish failed, not found, error code NotFound, request id
     * 6f1e...} (the code and the id only when the service answered).
     */
    public String summary() {
        return service + " " + operation + " failed, " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (errorCode == null ? "" : ", error code " + errorCode)
                + (requestId == null ? "" : ", request id " + requestId);
    }
}
