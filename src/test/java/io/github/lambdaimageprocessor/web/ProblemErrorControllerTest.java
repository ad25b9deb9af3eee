package io.github.lambdaimageprocessor.web;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemErrorControllerTest {

    private final ProblemErrorController controller = new ProblemErrorController();

    @Test
    void aServerErrorSaysSoWithoutItsCause() {
        MockHttpServletRequest request = forwarded(500, "/images/a.jpg");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("secret internals"));

        ResponseEntity<ProblemDetail> answer = controller.error(request);

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        ProblemDetail problem = answer.getBody();
        assertThat(problem.getTitle()).isEqualTo("Internal Server Error");
        assertThat(problem.getDetail()).isEqualTo("The server failed to answer the request; the cause is in its log");
        assertThat(problem.toString()).doesNotContain("secret");
        assertThat(problem.getInstance()).hasToString("/images/a.jpg");
    }

    @Test
    void anotherClientErrorKeepsItsStatusAndTitle() {
        ResponseEntity<ProblemDetail> answer = controller.error(forwarded(408, "/images/slow.jpg"));

        assertThat(answer.getStatusCode().value()).isEqualTo(408);
        assertThat(answer.getBody().getDetail()).isEqualTo("The server refused the request (Request Timeout)");
    }

    @Test
    void aPathThatIsNoUriLeavesTheInstanceOut() {
        ResponseEntity<ProblemDetail> answer = controller.error(forwarded(400, "/images/a b|c.jpg"));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().getInstance()).isNull();
    }

    @Test
    void aStatusThatIsNoErrorIsTreatedAsNoErrorAtAll() {
        ResponseEntity<ProblemDetail> answer = controller.error(forwarded(200, "/"));

        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        assertThat(answer.getBody().getDetail()).isEqualTo("No such resource");
    }

    private static MockHttpServletRequest forwarded(int status, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, path);
        return request;
    }
}
