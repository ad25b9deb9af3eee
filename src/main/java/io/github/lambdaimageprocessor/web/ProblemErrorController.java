package io.github.lambdaimageprocessor.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The answer to an error the container reports after the application had the request, in place of Spring Boot's
 * {@code {"timestamp", "error", "path"}} JSON: a problem detail like every other refusal. The case that matters is a
 * request body that ends before its {@code Content-Length}: Tomcat sets the 400 as soon as the read fails, so the
 * controller's own answer is never written and Tomcat forwards here; a body that arrives too slowly
 * ({@link MinimumBodyRateValve}) is the other, answered 408 with what its pace was. Server errors get a detail without internals
 * (the log has them). Its presence replaces Spring Boot's {@code BasicErrorController}.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Integer reported = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && code >= 400 && code <= 599 ? code : null;
        // asked for directly, not forwarded on an error: there is nothing at this path
        int status = reported != null ? reported : HttpStatus.NOT_FOUND.value();
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        problem.setDetail(reported == null ? "No such resource"
                : request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof SlowBodyException slow
                        ? slow.getMessage()
                : status == 400 ? "The request could not be read: its body ended before its Content-Length, or its "
                        + "headers, query string or chunked encoding were malformed"
                : status < 500 ? "The server refused the request (" + problem.getTitle() + ")"
                : "The server failed to answer the request; the cause is in its log");
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            try {
                problem.setInstance(URI.create(path));
            }
            catch (IllegalArgumentException e) {
                // a path that is no URI reference: the problem goes without it
            }
        }
        return ResponseEntity.status(status).body(problem);
    }
}
