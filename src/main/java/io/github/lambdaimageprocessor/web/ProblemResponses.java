package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** A problem detail written by a filter that answers before Spring MVC would, as the MVC routes write theirs. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static void write(JsonMapper json, HttpServletResponse response, HttpStatus status, String path, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        try {
            if (path != null) {
                problem.setInstance(URI.create(path)); // the request's path as sent, so already encoded
            }
        }
        catch (IllegalArgumentException e) {
            // not a URI after all: the problem goes out without an instance
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }
}
