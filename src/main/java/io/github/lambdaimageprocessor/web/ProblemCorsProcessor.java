package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Spring's CORS processing, answering as the Lambda function does where Spring's default would not: a preflight from
 * an origin not allowed is a 403 problem detail that says why (not the plain text "Invalid CORS request"), and any
 * other request from such an origin is answered as without the setting, with no CORS headers (Spring's default refuses
 * it with 403, so listing one origin would change what every other origin's reads get). Its writes are the
 * {@link ForeignRequestFilter}'s to refuse, before any route reads them.
 */
class ProblemCorsProcessor extends DefaultCorsProcessor {

    private final Supplier<JsonMapper> json;

    ProblemCorsProcessor(Supplier<JsonMapper> json) {
        this.json = json;
    }

    @Override
    protected boolean handleInternal(ServerHttpRequest request, ServerHttpResponse response, CorsConfiguration config,
            boolean preFlight) throws IOException {
        String origin = request.getHeaders().getOrigin();
        if (checkOrigin(config, origin) != null) {
            return super.handleInternal(request, response, config, preFlight);
        }
        if (!preFlight) {
            return true;
        }
        write(response, request.getURI().getRawPath(), "The origin " + origin + " may not call this app from a "
                + "browser: it is not in image-processor.uploads.allowed-origins");
        return false;
    }

    /** An allowed origin's preflight asking for a method or header the route does not allow. */
    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        write(response, null, "This route does not allow the method or a header the preflight asks for");
    }

    private void write(ServerHttpResponse response, String path, String detail) throws IOException {
        HttpServletResponse servlet = ((ServletServerHttpResponse) response).getServletResponse();
        ProblemResponses.write(json.get(), servlet, HttpStatus.FORBIDDEN, path, detail);
        response.flush();
    }
}
