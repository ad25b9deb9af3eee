package io.github.lambdaimageprocessor.web;

import java.util.List;

import io.github.lambdaimageprocessor.api.AllowedOrigins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the filter lets through, one header at a time; {@code ForeignRequestHttpTest} runs it in the app.
 */
class ForeignRequestFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ForeignRequestFilter loopbackOnly = new ForeignRequestFilter(JSON, true);

    @Test
    void aPostWithoutOriginOrFetchMetadataPassesAsCurlSendsIt() throws Exception {
        assertThat(status(loopbackOnly, post("localhost:8080"))).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({ "localhost:8080, http://localhost:8080", "LOCALHOST:8080, http://localhost:8080",
            "127.0.0.1:8080, http://127.0.0.1:8080", "[::1]:8080, http://[::1]:8080",
            "localhost, http://localhost:80", "localhost:80, http://localhost" })
    void aPostFromTheServersOwnOriginPasses(String host, String origin) throws Exception {
        MockHttpServletRequest request = post(host);
        request.addHeader("Origin", origin);
        request.addHeader("Sec-Fetch-Site", "same-origin");

        assertThat(status(loopbackOnly, request)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "http://localhost:3000", "https://localhost:8080",
            "http://127.0.0.1:8080", "null", "http://localhost:8080/path", "localhost:8080", "" })
    void aPostFromAnyOtherOriginIsA403Problem(String origin) throws Exception {
        MockHttpServletRequest request = post("localhost:8080");
        request.addHeader("Origin", origin);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        loopbackOnly.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("instance").asString()).isEqualTo("/images");
        assertThat(problem.get("detail").asString()).contains("Origin: " + origin)
            .contains("its own page at http://localhost:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = { "cross-site", "same-site", "Cross-Site" })
    void aPostABrowserMarksAsAnotherSitesIsRefusedEvenWithoutOrigin(String site) throws Exception {
        MockHttpServletRequest request = post("localhost:8080");
        request.addHeader("Sec-Fetch-Site", site);

        assertThat(status(loopbackOnly, request)).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT", "PATCH", "DELETE", "TRACE" })
    void everyMethodButTheSafeOnesIsChecked(String method) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/images/a.jpg");
        request.addHeader("Host", "localhost:8080");
        request.addHeader("Origin", "https://evil.example");

        assertThat(status(loopbackOnly, request)).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "HEAD", "OPTIONS" })
    void aSafeMethodFromAnotherSitePassesItCannotChangeAnythingAndCannotReadTheAnswer(String method)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/images");
        request.addHeader("Host", "localhost:8080");
        request.addHeader("Origin", "https://evil.example");
        request.addHeader("Sec-Fetch-Site", "cross-site");

        assertThat(status(loopbackOnly, request)).isEqualTo(200);
    }

    /**
     * A CORS preflight from another origin, with no origin allowed (the default): Spring answered it 200 with
     * {@code Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH}, every method whether the route had it or not; it is
     * refused as an origin not listed is refused once some are, and as the function refuses it.
     */
    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "http://localhost:3000", "null" })
    void aPreflightFromAnotherOriginIsA403Problem(String origin) throws Exception {
        MockHttpServletRequest request = preflight("/uploads", origin);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        loopbackOnly.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("Allow")).isNull();
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.get("instance").asString()).isEqualTo("/uploads");
        assertThat(problem.get("detail").asString()).contains("The origin " + origin + " may not call this app")
            .contains("image-processor.uploads.allowed-origins");
    }

    /** Headers of up to Tomcat's 8 KB: quoted cut short, in each refusal that names them. */
    @Test
    void aLongOriginOrHostIsQuotedCutShort() throws Exception {
        String origin = "https://" + "e".repeat(5000) + ".example";
        MockHttpServletRequest write = post("localhost:8080");
        write.addHeader("Origin", origin);
        MockHttpServletRequest rebound = new MockHttpServletRequest("GET", "/images");
        rebound.addHeader("Host", "e".repeat(5000) + ".example");

        for (MockHttpServletRequest request : List.of(write, preflight("/uploads", origin), rebound)) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            loopbackOnly.doFilter(request, response, new MockFilterChain());
            assertThat(JSON.readTree(response.getContentAsByteArray()).get("detail").asString())
                .contains("eeee\u2026").hasSizeLessThan(600);
        }
    }

    @Test
    void withAllowedOriginsAPreflightFromAnyOtherIsA403ProblemAndFromAnAllowedOnePasses() throws Exception {
        ForeignRequestFilter allowing = new ForeignRequestFilter(JSON, true,
                AllowedOrigins.of(List.of("http://localhost:3000")));

        assertThat(status(allowing, preflight("/uploads", "http://localhost:3001"))).isEqualTo(403);
        assertThat(status(allowing, preflight("/uploads", "http://localhost:3000"))).isEqualTo(200);
    }

    /** Not a preflight: an OPTIONS without Access-Control-Request-Method, or one naming the app's own origin. */
    @Test
    void anOptionsThatIsNoCrossOriginPreflightPasses() throws Exception {
        MockHttpServletRequest plain = new MockHttpServletRequest("OPTIONS", "/uploads");
        plain.addHeader("Host", "localhost:8080");
        plain.addHeader("Origin", "https://evil.example");

        assertThat(status(loopbackOnly, plain)).isEqualTo(200);
        assertThat(status(loopbackOnly, preflight("/uploads", "http://localhost:8080"))).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "POST" })
    void whileOnLoopbackAForeignHostIsA421ProblemWhateverTheMethod(String method) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/images");
        request.addHeader("Host", "evil.example:8080");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        loopbackOnly.doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("passed on").isNull();
        assertThat(response.getStatus()).isEqualTo(421);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(response.getContentAsByteArray());
        assertThat(problem.get("title").asString()).isEqualTo("Misdirected Request");
        assertThat(problem.get("detail").asString()).contains("'evil.example:8080'").contains("DNS rebinding");
    }

    /** A page the operator listed is another site by design: its writes pass, whatever its fetch metadata says. */
    @ParameterizedTest
    @CsvSource({ "http://localhost:3000, same-site", "https://app.example.com, cross-site",
            "https://APP.example.com:443, cross-site" })
    void aPostFromAnAllowedOriginPasses(String origin, String site) throws Exception {
        ForeignRequestFilter allowing = new ForeignRequestFilter(JSON, true,
                AllowedOrigins.of(List.of("http://localhost:3000", "https://app.example.com")));
        MockHttpServletRequest request = post("localhost:8080");
        request.addHeader("Origin", origin);
        request.addHeader("Sec-Fetch-Site", site);

        assertThat(status(allowing, request)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:3001", "https://app.example.com.evil.example", "http://app.example.com",
            "null" })
    void withAllowedOriginsAnyOtherOriginIsStillRefused(String origin) throws Exception {
        ForeignRequestFilter allowing = new ForeignRequestFilter(JSON, true,
                AllowedOrigins.of(List.of("http://localhost:3000", "https://app.example.com")));
        MockHttpServletRequest request = post("localhost:8080");
        request.addHeader("Origin", origin);
        request.addHeader("Sec-Fetch-Site", "cross-site");

        assertThat(status(allowing, request)).isEqualTo(403);
    }

    /** Listing an origin is no exception to the host check against DNS rebinding. */
    @Test
    void anAllowedOriginStillNamesALoopbackHost() throws Exception {
        ForeignRequestFilter allowing = new ForeignRequestFilter(JSON, true,
                AllowedOrigins.of(List.of("https://app.example.com")));
        MockHttpServletRequest request = post("app.example.com");
        request.addHeader("Origin", "https://app.example.com");

        assertThat(status(allowing, request)).isEqualTo(421);
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost.evil.example", "127.0.0.1.evil.example", "evil.example", "user@localhost",
            "localhost:8080/x" })
    void whileOnLoopbackOnlyTheLoopbackNamesPass(String host) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/images");
        request.addHeader("Host", host);

        assertThat(status(loopbackOnly, request)).isEqualTo(421);
    }

    @Test
    void boundToANetworkAnyHostIsServedButOtherSitesStillCannotWrite() throws Exception {
        ForeignRequestFilter network = new ForeignRequestFilter(JSON, false);
        MockHttpServletRequest read = new MockHttpServletRequest("GET", "/images");
        read.addHeader("Host", "photos.lan:8080");
        MockHttpServletRequest ownPage = post("photos.lan:8080");
        ownPage.addHeader("Origin", "http://photos.lan:8080");
        MockHttpServletRequest otherSite = post("photos.lan:8080");
        otherSite.addHeader("Origin", "https://evil.example");

        assertThat(status(network, read)).isEqualTo(200);
        assertThat(status(network, ownPage)).isEqualTo(200);
        assertThat(status(network, otherSite)).isEqualTo(403);
    }

    private static MockHttpServletRequest preflight(String path, String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", path);
        request.addHeader("Host", "localhost:8080");
        request.addHeader("Origin", origin);
        request.addHeader("Access-Control-Request-Method", "POST");
        request.addHeader("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private static MockHttpServletRequest post(String host) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/images");
        request.addHeader("Host", host);
        return request;
    }

    /** The status the filter answers with, or 200 when it passes the request on. */
    private static int status(ForeignRequestFilter filter, MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return chain.getRequest() != null ? 200 : response.getStatus();
    }
}
