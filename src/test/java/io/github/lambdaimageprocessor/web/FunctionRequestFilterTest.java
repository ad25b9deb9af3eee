package io.github.lambdaimageprocessor.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which paths the filter leaves to the app's own routes and which it answers itself, before Spring Cloud Function's
 * catch-alls could take them; {@code LocalAppHttpTest} runs it in the app.
 */
class FunctionRequestFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FunctionRequestFilter local = new FunctionRequestFilter(JSON, true);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "GET, /", "GET, /;jsessionid=1", "GET, /app.js", "HEAD, /index.html", "GET, /images",
            "GET, /images/a.jpg", "GET, /images/a.jpg/", "PUT, /images/a.jpg", "GET, /thumbnails/a.jpg",
            "POST, /uploads", "POST, /uploads;x=1", "PUT, /local-uploads/browser/a.jpg", "GET, /error" })
    void theAppsOwnRoutesArePassedOn(String method, String path) throws Exception {
        MockFilterChain chain = new MockFilterChain();

        local.doFilter(request(method, path), new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).as("passed on").isNotNull();
    }

    /** A path of up to Tomcat's 8 KB is named cut short. */
    @Test
    void aLongPathIsNamedCutShort() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();

        local.doFilter(request("GET", "/" + "n".repeat(5000)), response, new MockFilterChain());

        assertThat(JSON.readTree(response.getContentAsByteArray()).get("detail").asString())
            .startsWith("Nothing at /" + "n".repeat(99) + "\u2026. The app serves")
            .hasSizeLessThan(400);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "GET, /app.js/", "HEAD, /index.html/", "GET, /app.css//", "GET, //", "GET, /uploads/",
            "POST, /uploads/a.jpg", "GET, /error/", "GET, /error/x" })
    void aPathNoRouteOfTheAppsMatchesIsA404ProblemNotTheFunctions(String method, String path) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        local.doFilter(request(method, path), response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.get("detail").asString()).startsWith("Nothing at " + path + ".");
    }

    @Test
    void theLocalUploadRouteIsNoRouteWhereItIsNotThere() throws Exception {
        // profile aws: no signer, no PUT /local-uploads/{key}
        FunctionRequestFilter aws = new FunctionRequestFilter(JSON, false);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        aws.doFilter(request("PUT", "/local-uploads/browser/a.jpg"), response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(404);
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.addHeader("Host", "localhost:8080");
        return request;
    }
}
