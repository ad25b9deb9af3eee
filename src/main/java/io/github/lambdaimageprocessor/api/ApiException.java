package io.github.lambdaimageprocessor.api;

/**
 * A request the API answers with an error: the HTTP status, a short title and a detail for the client, which each
 * adapter (Spring MVC, the Lambda HTTP API function) writes as an RFC 9457 problem detail.
 */
public class ApiException extends RuntimeException {

    private final int status;

    private final String title;

    public ApiException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }
}
