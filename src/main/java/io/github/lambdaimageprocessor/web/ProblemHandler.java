package io.github.lambdaimageprocessor.web;

import java.util.List;
import java.util.Optional;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnusableException;
import io.github.lambdaimageprocessor.processing.Causes;
import io.github.lambdaimageprocessor.processing.DeliveryInProgressException;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;
import io.github.lambdaimageprocessor.processing.ServiceFailureException;
import io.github.lambdaimageprocessor.processing.StorageUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.core.JacksonException;

/**
 * The client errors of ours that are not already an {@code ErrorResponse} (a key the store cannot hold, a delivery
 * already in progress), and those of Spring's that deserve a better detail than its own (an upload over the limit
 * names the limit, a malformed form is a 400, a body that is not JSON says why), and the server errors an operator can
 * name better than "see the log" (a full disk, S3 or DynamoDB unreachable or refusing). Before Spring's handler, so
 * these win. Everything else is Spring's own problem-detail support ({@code spring.mvc.problemdetails.enabled}): Spring
 * MVC's exceptions (404 unknown path, 405 wrong method, 415, a missing part) and our
 * {@link org.springframework.web.ErrorResponseException}s ({@code ImageController}'s 400 and 404). Nothing here turns a
 * programming error into a 400. Conditional, because on Lambda the web stack is not on the classpath.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** The package of the exceptions Tomcat's multipart parser throws. */
    private static final String TOMCAT_FORM_PARSER = "org.apache.tomcat.util.http.fileupload.";

    private final ImageProcessorProperties properties;

    ProblemHandler(ImageProcessorProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(InvalidObjectKeyException.class)
    ProblemDetail invalidObjectKey(InvalidObjectKeyException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid object key");
        return problem;
    }

    /**
     * The same event posted twice at once to {@code /processImage}: the second finds the first one's claim fresh and
     * its notification outstanding. Not a server error: it says when to try again (the function wraps it, and Spring
     * matches the cause).
     */
    @ExceptionHandler(DeliveryInProgressException.class)
    ResponseEntity<ProblemDetail> inProgress(DeliveryInProgressException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Already being processed");
        return ResponseEntity.status(HttpStatus.CONFLICT)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
            .body(problem);
    }

    /**
     * The local store's disk full (507), mounted read-only or not the app's user's to write (503): a condition of the
     * server the operator fixes, said plainly instead of a bare 500. The store tells these from other failures
     * ({@link StorageUnavailableException}); any other I/O failure is declined (rethrown) to Spring's own 500.
     */
    @ExceptionHandler(java.io.UncheckedIOException.class)
    ProblemDetail storage(java.io.UncheckedIOException e) {
        StorageUnavailableException unavailable = Causes.first(e, StorageUnavailableException.class)
            .orElseThrow(() -> e);
        String cause = unavailable.getMessage();
        return switch (unavailable.reason()) {
            case OUT_OF_SPACE -> problem(HttpStatus.INSUFFICIENT_STORAGE, "Out of disk space",
                    "The local store is out of disk space: " + cause + ". Free some and send it again.");
            case READ_ONLY -> problem(HttpStatus.SERVICE_UNAVAILABLE, "Storage read-only",
                    "The local store's folder is read-only: " + cause + ".");
            case PERMISSION_DENIED -> problem(HttpStatus.SERVICE_UNAVAILABLE, "Storage not writable",
                    "The local store's files are not the app's user's to write: " + cause + ". Was a command "
                            + "(backfill) run on its folder as another user? Give the files back to the user the app "
                            + "runs as (chown -R), then send it again.");
        };
    }

    /**
     * S3, DynamoDB or SNS failed the request's call in a way its adapter could name (unreachable, throttling, failing,
     * access denied, no such bucket, table or topic): 503 with {@code Retry-After}, or 502, as
     * {@link ApiException#serviceFailure} decides for both flavours of the API. The log gets one WARN line with what
     * an operator looks up (the service, the call, the error code, the request id) in place of the container's ERROR
     * with a stack trace of some hundred lines, which says nothing more about a known condition of a service. A
     * failure of the unexpected kind is declined (rethrown) to Spring's own 500, stack and all. The function's routes
     * ({@code POST /processImage}) wrap it, and Spring matches the cause.
     *
     * @param raised the exception as thrown, which Spring gives the first parameter of its type: the function's
     *        {@link RecordsFailedException} on its route
     */
    @ExceptionHandler(ServiceFailureException.class)
    ResponseEntity<ProblemDetail> serviceFailure(Exception raised, ServiceFailureException e,
            HttpServletRequest request) {
        ApiException answer = ApiException.serviceFailure(e).orElseThrow(() -> e);
        if (!loggedByFunction(raised)) {
            log.warn("{}", ApiException.serviceFailureLine(answer, request.getMethod(), request.getRequestURI(), e));
        }
        return api(answer);
    }

    /**
     * Whether the failure is the {@code processImage} function's ({@code POST /processImage}), which has logged each
     * failed record in one line with what failed ({@code S3EventFunction}): a line here would be a second for the
     * same failure.
     */
    private static boolean loggedByFunction(Throwable raised) {
        return Causes.first(raised, RecordsFailedException.class).isPresent();
    }

    /**
     * The active-region switch of a pair failed the request. Unreadable (SSM missing the parameter, unreachable,
     * throttling): answered as that service failure, which it has as its cause. Read, but holding no region this
     * server can act on (no region name, a SecureString, a region of neither of the pair): a fault of the deployment's
     * configuration like a missing bucket, so a 502 without {@code Retry-After} and one WARN line with what is wrong
     * with the switch, where it was a 500 with a stack trace. The detail names the switch but not its parameter or
     * value, which are the deployment's, not the client's. Any other failure of the switch is declined to Spring's
     * 500.
     */
    @ExceptionHandler(ActiveRegionUnavailableException.class)
    ResponseEntity<ProblemDetail> activeRegion(Exception raised, ActiveRegionUnavailableException e,
            HttpServletRequest request) {
        // a failure held by CachedActiveRegion comes wrapped in one that says how long ago it was read
        Optional<ServiceFailureException> unreadable = Causes.first(e, ServiceFailureException.class);
        if (unreadable.isPresent()) {
            return serviceFailure(raised, unreadable.get(), request);
        }
        if (Causes.first(e, ActiveRegionUnusableException.class).isEmpty()) {
            throw e;
        }
        if (!loggedByFunction(raised)) {
            log.warn("{} {} {}: {}", HttpStatus.BAD_GATEWAY.value(), request.getMethod(), request.getRequestURI(),
                    e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
            .body(problem(HttpStatus.BAD_GATEWAY, "Active-region switch unusable", "This server's active-region "
                    + "switch holds a value it cannot use: no region name, or a region that is neither of its pair. "
                    + "Trying again will not help until the operator mends the switch; the server's log says what is "
                    + "wrong with it."));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /**
     * A body of another type than the route takes, answered with the type to send (Spring's own names none). A type
     * Spring cannot parse ({@code application/json; charset=bogus}) reaches here without it, and is named as sent rather
     * than called missing.
     */
    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> unsupportedType(org.springframework.web.HttpMediaTypeNotSupportedException e,
            jakarta.servlet.http.HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String sent = e.getContentType() != null ? "Content-Type '" + e.getContentType() + "'"
                : header != null ? "Content-Type '" + header + "', which could not be parsed," : "A request without a Content-Type";
        List<String> supported = e.getSupportedMediaTypes().stream().map(Object::toString).toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, sent
                + " is not taken here: send the body as " + String.join(" or ", supported) + ", with the header "
                + "'Content-Type: " + (supported.isEmpty() ? "..." : supported.getFirst()) + "'");
        problem.setTitle("Unsupported Media Type");
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
            .headers(headers -> headers.setAccept(e.getSupportedMediaTypes()))
            .body(problem);
    }

    /**
     * A form upload over the limit, with the limit in the answer (as {@code PUT /images/{key}} gives it), with more
     * parts than the container takes, or with a part whose headers are longer than the container takes (Tomcat's
     * {@code maxPartHeaderSize}, 512 bytes: a file name of some 430 ASCII or 140 CJK characters). Spring reports all
     * three as an upload too large; the last was answered with the upload limit, which a photo of 100 KB is far below.
     */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException e) {
        long uploadLimit = properties.limits().maxUploadSize().toBytes();
        boolean tooManyParts = Causes.of(e)
            .stream()
            .anyMatch(cause -> cause.getClass().getSimpleName().contains("FileCount"));
        // the file's and the request's size limits are the upload limit; a part's header section has its own
        Long headerLimit = Causes.of(e)
            .stream()
            .filter(SizeException.class::isInstance)
            .map(cause -> ((SizeException) cause).getPermittedSize())
            .filter(permitted -> permitted >= 0 && permitted != uploadLimit)
            .findFirst()
            .orElse(null);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooManyParts
                ? "The form has more parts than the server takes: send the file and, if you like, a key"
                : headerLimit != null ? "A part of the form has headers longer than the " + headerLimit + " bytes "
                        + "the server takes: most likely the file's name is too long; rename the file"
                : "The upload is over the limit of " + uploadLimit + " bytes (image-processor.limits.max-upload-size)");
        problem.setTitle("Content Too Large");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
    }

    /**
     * A multipart body that is not one (no boundary, cut short), as the container's parser says: the client's error.
     * Any other failure to read a form (a part the server could not store) is the server's, and stays a 500.
     */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail malformedForm(MultipartException e) throws MultipartException {
        Throwable parser = Causes.of(e)
            .stream()
            .filter(cause -> cause.getClass().getName().startsWith(TOMCAT_FORM_PARSER))
            .findFirst()
            .orElseThrow(() -> e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The multipart form could not be read: " + parser.getMessage());
        problem.setTitle("Malformed form");
        return problem;
    }

    /**
     * A query string (or form) Tomcat cannot decode: a malformed {@code %} escape, or bytes that are not UTF-8
     * ({@code ?cursor=%FF}). Tomcat answers 400 itself, but only after the exception left the servlet, which logs it
     * at ERROR with its stack trace, as if the server had failed.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameters(InvalidParameterException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The query string or form could not be "
                + "decoded: every %XX escape must be two hex digits, and the bytes they make UTF-8");
    }

    /** A JSON body that does not parse or does not fit (POST /uploads), with what the parser found. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
        String detail = Causes.first(e, JacksonException.class)
            .map(cause -> "The body is not the expected JSON: " + cause.getOriginalMessage())
            .orElse("The body could not be read as the route expects it");
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    /** The upload API's refusals (shared with the Lambda HTTP API), each with its own status and title. */
    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
        problem.setTitle(e.title());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        e.retryAfter()
            .ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
        return response.body(problem);
    }
}
