package io.github.lambdaimageprocessor.api;

import java.time.Duration;
import java.util.Optional;

import io.github.lambdaimageprocessor.processing.ServiceFailureException;

/**
 * A request the API answers with an error: the HTTP status, a short title and a detail for the client, which each
 * adapter (Spring MVC, the Lambda HTTP API function) writes as an RFC 9457 problem detail, and when to try again, if
 * that helps, which each writes as {@code Retry-After}.
 */
public class ApiException extends RuntimeException {

    private final int status;

    private final String title;

    private final Duration retryAfter;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null, null);
    }

    private ApiException(int status, String title, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** When the same request may succeed, for a failure that passes; empty when waiting does not help. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    /**
     * The answer to a request that failed on a service behind the API (S3, DynamoDB, SNS, SSM), or empty for a failure
     * whose kind is not {@linkplain ServiceFailureException.Kind#known() known}, which stays a 500 with its stack in
     * the log. Both answers are the server's fault, so 5xx:
     * <ul>
     * <li>503 with {@code Retry-After} when the service is unreachable, throttling or failing: it passes, and a client
     * that tries again then (the upload page does, on a 503) succeeds;</li>
     * <li>502 when the service refused the server's call (access denied, no such bucket, table, topic or parameter, a
     * bucket in another region, an encryption key that cannot be used): the server depends on that service as a
     * gateway on its upstream, and the upstream's answer is unusable. Not 503, which says "temporary" and would have
     * clients retry what only the operator can mend; not 500, kept for the server's own defects so that a
     * configuration fault stands apart in logs and metrics; not 4xx, since nothing the client sends can change it.</li>
     * </ul>
     * {@code Retry-After} gives the cause time to pass: a throttled call was already retried with backoff by the SDK,
     * so a second will do; an outage or a lost connection takes longer.
     * The detail names the service, the kind of failure and the service's error code, never the service's own
     * message (which may hold an account id, a role's ARN or a resource name); the log has that.
     */
    public static Optional<ApiException> serviceFailure(ServiceFailureException e) {
        if (!e.kind().known()) {
            return Optional.empty();
        }
        String service = e.service();
        String code = e.errorCode() == null ? "" : " (" + e.errorCode() + ")";
        ApiException answer = switch (e.kind()) {
            case UNREACHABLE -> new ApiException(503, "Service unreachable", service + " could not be reached: no "
                    + "answer, or the connection failed. Try again in a few seconds; the server's log says more if it "
                    + "lasts.", Duration.ofSeconds(10), e);
            case THROTTLED -> new ApiException(503, "Service throttling", service + " is throttling this server's "
                    + "requests" + code + ". Try again in a moment.", Duration.ofSeconds(1), e);
            case SERVICE_ERROR -> new ApiException(503, "Service failing", service + " failed the request on its "
                    + "side" + code + ". Try again in a few seconds.", Duration.ofSeconds(5), e);
            case NOT_AUTHORIZED -> new ApiException(502, "Service refused access", service + " refused this "
                    + "server's request" + code + ": the server's AWS credentials are missing, invalid or expired, or "
                    + "lack a permission. Trying again will not help until the operator mends the server's "
                    + "configuration; its log names the call.", null, e);
            case NOT_FOUND -> new ApiException(502, "Service resource missing", service + " has no such resource"
                    + code + ": the bucket, table, topic or parameter this server is configured with does not exist. Trying "
                    + "again will not help until the operator mends the server's configuration or creates it; its log "
                    + "names it.", null, e);
            case WRONG_REGION -> new ApiException(502, "Service resource in another region", service + " answered "
                    + "that the resource is in another AWS region than the one this server calls" + code + ": the "
                    + "server's region, or the bucket it is configured with, is wrong. Trying again will not help until "
                    + "the operator mends the server's configuration; its log names the call.", null, e);
            case KEY_UNUSABLE -> new ApiException(502, "Service encryption key unusable", service + " cannot use the "
                    + "KMS key that encrypts the resource" + code + ": the key is disabled, pending deletion or gone, "
                    + "or not one for this use. Trying again will not help until the operator mends the key or the "
                    + "resource's encryption; its log names the call.", null, e);
            case UNEXPECTED -> throw new IllegalStateException("not a known kind, declined above: " + e.kind());
        };
        return Optional.of(answer);
    }

    /**
     * The one line an HTTP route logs at WARN for a service failure it answered with {@code answer} (one of
     * {@link #serviceFailure}), in place of a stack trace: the status, the request and what an operator looks up, as
     * {@code 503 PUT /images/photo.jpg: S3 PutObject failed, unreachable: Failed to write s3://uploads/photo.jpg}. The
     * web app and the Lambda HTTP API both write it, so one search finds the failure whichever route served it.
     */
    public static String serviceFailureLine(ApiException answer, String method, String path,
            ServiceFailureException e) {
        return answer.status() + " " + method + " " + path + ": " + e.summary() + ": " + e.getMessage();
    }
}
