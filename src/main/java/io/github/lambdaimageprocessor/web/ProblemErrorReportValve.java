package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's answer to a request it refuses before the application sees it (an encoded {@code /}, {@code \} or NUL in
 * the path, a malformed request line): a problem detail, like every other refusal of this app, instead of Tomcat's
 * HTML page. Errors the application itself reports never get here; Spring writes those. Public, with a public
 * constructor, because Tomcat creates its host's error valve from the class name.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // the same guards as Tomcat's own report: an error, nothing written yet, reported once, a client to write to
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"The server refused the request before the application saw it: check the request "
                + "line, the path (an encoded '/', '\\\\' or NUL is refused) and the size of the headers\"}";
        try {
            // the body is ASCII, so no charset: the same content type as Spring's problem details
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException e) {
            // the client is gone, or the response was committed meanwhile: nothing left to tell it
        }
    }
}
