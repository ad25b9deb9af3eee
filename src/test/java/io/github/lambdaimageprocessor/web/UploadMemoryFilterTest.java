package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Which uploads the memory budget lets in while others are being received. */
class UploadMemoryFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final long MB = 1024 * 1024;

    /** Room for 10 MB of bodies, uploads of up to 4 MB. */
    private final UploadMemoryFilter filter = new UploadMemoryFilter(JSON, 4 * MB, 10 * MB);

    /** A request announcing this Content-Length (-1: none, a chunked body), without the bytes. */
    private static MockHttpServletRequest request(String method, String path, long length) {
        return new MockHttpServletRequest(method, path) {

            @Override
            public long getContentLengthLong() {
                return length;
            }
        };
    }

    private static MockHttpServletRequest put(String path, long length) {
        return request("PUT", path, length);
    }

    /** Sends the requests one inside the other (each while the ones before it are being received); their statuses. */
    private List<Integer> nested(MockHttpServletRequest... requests) throws IOException, ServletException {
        Integer[] statuses = new Integer[requests.length];
        send(requests, 0, statuses);
        return List.of(statuses);
    }

    private void send(MockHttpServletRequest[] requests, int index, Integer[] statuses)
            throws IOException, ServletException {
        if (index == requests.length) {
            return;
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain receiving = (request, ignored) -> send(requests, index + 1, statuses);
        filter.doFilter(requests[index], response, receiving);
        statuses[index] = response.getStatus();
    }

    @Test
    void uploadsBeyondTheBudgetGetA503ProblemWithRetryAfter() throws Exception {
        MockHttpServletResponse refused = new MockHttpServletResponse();
        FilterChain receivingTwo = (request, response) -> {
            filter.doFilter(put("/images/c.jpg", 3 * MB), refused, new MockFilterChain());
        };
        filter.doFilter(put("/images/a.jpg", 4 * MB), new MockHttpServletResponse(),
                (request, response) -> filter.doFilter(put("/images/b.jpg", 4 * MB), new MockHttpServletResponse(),
                        receivingTwo));

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(refused.getContentAsByteArray());
        assertThat(problem.get("detail").asString()).contains("10 MB, image-processor.limits.upload-memory");
        assertThat(problem.get("instance").asString()).isEqualTo("/images/c.jpg");
    }

    @Test
    void whatFitsBesideTheOthersIsLetInAndAnAnsweredUploadGivesItsShareBack() throws Exception {
        assertThat(nested(put("/images/a.jpg", 4 * MB), put("/images/b.jpg", 4 * MB), put("/images/c.jpg", 2 * MB),
                put("/images/d.jpg", 1))).containsExactly(200, 200, 200, 503);
        assertThat(nested(put("/images/a.jpg", 4 * MB), put("/images/b.jpg", 4 * MB), put("/images/c.jpg", 2 * MB)))
            .as("all of it given back").containsExactly(200, 200, 200);
    }

    @Test
    void aBodyWithoutLengthReservesTheUploadLimit() throws Exception {
        assertThat(nested(put("/images/a.jpg", -1), put("/images/b.jpg", -1), put("/images/c.jpg", 2 * MB + 1)))
            .containsExactly(200, 200, 503);
    }

    @Test
    void aBodyOverTheUploadLimitReservesNothingAndIsLeftToItsRoutesRefusal() throws Exception {
        assertThat(nested(put("/images/a.jpg", 4 * MB), put("/images/b.jpg", 4 * MB), put("/images/c.jpg", 2 * MB),
                put("/images/big.jpg", 4 * MB + 1))).containsExactly(200, 200, 200, 200);
    }

    @ParameterizedTest
    @CsvSource({ "PUT, /images/a.jpg, true", "PUT, /local-uploads/a.jpg, true", "POST, /images, true",
            "POST, /images/, true", "POST, /images;x, true", "GET, /images/a.jpg, false", "POST, /uploads, false",
            "POST, /processImage, false", "PUT, /thumbnails/a.jpg, false", "DELETE, /images/a.jpg, false" })
    void countsTheRoutesThatReadAWholeUpload(String method, String path, boolean upload) {
        assertThat(UploadMemoryFilter.isUpload(new MockHttpServletRequest(method, path))).isEqualTo(upload);
    }

    @Test
    void otherRequestsPassWhateverIsHeld() throws Exception {
        MockHttpServletRequest other = request("POST", "/uploads", 100);
        assertThat(nested(put("/images/a.jpg", 4 * MB), put("/images/b.jpg", 4 * MB), put("/images/c.jpg", 2 * MB),
                other)).containsExactly(200, 200, 200, 200);
    }

    @Test
    void aBudgetUnderAMegabyteIsNamedInKilobytes() throws Exception {
        UploadMemoryFilter small = new UploadMemoryFilter(JSON, 300_000, 300_000);
        MockHttpServletResponse refused = new MockHttpServletResponse();

        small.doFilter(put("/images/a.jpg", 200_000), new MockHttpServletResponse(),
                (request, response) -> small.doFilter(put("/images/b.jpg", 200_000), refused, new MockFilterChain()));

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(JSON.readTree(refused.getContentAsByteArray()).get("detail").asString())
            .contains("(293 KB, image-processor.limits.upload-memory)");
    }

    @Test
    void aBudgetBelowOneUploadIsRaisedToIt() throws Exception {
        UploadMemoryFilter small = new UploadMemoryFilter(JSON, 4 * MB, MB);
        MockHttpServletResponse response = new MockHttpServletResponse();

        small.doFilter(put("/images/a.jpg", 4 * MB), response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(200);
    }
}
