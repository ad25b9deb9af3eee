package io.github.lambdaimageprocessor.web;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.processing.DeliveryInProgressException;
import io.github.lambdaimageprocessor.processing.InvalidObjectKeyException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The client errors of ours that are not already an {@code ErrorResponse}: a key the store cannot hold, a delivery
 * already in progress. Everything else is Spring's own problem-detail support
 * ({@code spring.mvc.problemdetails.enabled}): Spring MVC's exceptions
 * (404 unknown path, 405 wrong method, 413 upload too large, 415, a missing part) and our
 * {@link org.springframework.web.ErrorResponseException}s ({@code ImageController}'s 400 and 404). Nothing here turns a
 * programming error into a 400. Conditional, because on Lambda the web stack is not on the classpath.
 */
@RestControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ProblemHandler {

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

    /** The upload API's refusals (shared with the Lambda HTTP API), each with its own status and title. */
    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
        problem.setTitle(e.title());
        return ResponseEntity.status(e.status()).body(problem);
    }
}
