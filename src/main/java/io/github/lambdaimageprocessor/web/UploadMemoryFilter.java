package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;

import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the upload bodies the app holds in memory at once ({@code image-processor.limits.upload-memory}). Each upload
 * ({@code PUT /images/{key}}, {@code POST /images}, the local upload URL's {@code PUT}) reserves the size it announces,
 * or the upload limit when it announces none, before its first byte is read, and gives it back once answered; one that
 * does not fit is answered 503 with {@code Retry-After} at once. Otherwise only Tomcat's 200 request threads bound them,
 * at 200 times the upload limit (4 GB at the defaults): on a smaller heap concurrent uploads ran it out, and the
 * {@link OutOfMemoryError} failed whichever request allocated next, uploads or not. A body announcing more than the
 * limit reserves nothing: its route refuses it (413) without reading it.
 */
final class UploadMemoryFilter extends OncePerRequestFilter {

    private static final int KIB = 1024;

    private final JsonMapper json;

    private final long uploadLimit;

    private final long budget;

    /** The budget in KiB, so that a budget of gigabytes fits a semaphore's int permits. */
    private final Semaphore free;

    /**
     * @param uploadLimit {@code image-processor.limits.max-upload-size}
     * @param budget the bytes of upload bodies held at once; raised to the upload limit, so one upload always fits
     */
    UploadMemoryFilter(JsonMapper json, long uploadLimit, long budget) {
        this.json = json;
        this.uploadLimit = uploadLimit;
        this.budget = Math.max(budget, uploadLimit);
        this.free = new Semaphore(kibibytes(this.budget));
    }

    private static int kibibytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(bytes, KIB));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (!isUpload(request) || declared > uploadLimit) {
            chain.doFilter(request, response);
            return;
        }
        int reserved = Math.max(1, kibibytes(declared >= 0 ? declared : uploadLimit));
        if (!free.tryAcquire(reserved)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ProblemResponses.write(json, response, HttpStatus.SERVICE_UNAVAILABLE, request.getRequestURI(),
                    "The server is receiving as many uploads as it holds in memory at once ("
                            + (budget >= KIB * KIB ? budget / (KIB * KIB) + " MB" : Math.ceilDiv(budget, KIB) + " KB")
                            + ", image-processor.limits.upload-memory): try again in a moment");
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            free.release(reserved);
        }
    }

    /** The routes that read a whole upload into memory; any spelling Spring MVC would route to them counts. */
    static boolean isUpload(HttpServletRequest request) {
        String path = request.getRequestURI();
        return switch (request.getMethod()) {
            case "PUT" -> path.startsWith("/images/") || path.startsWith(HmacUploadSigner.ROUTE);
            case "POST" -> path.startsWith("/images");
            default -> false;
        };
    }
}
