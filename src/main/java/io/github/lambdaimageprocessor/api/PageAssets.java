package io.github.lambdaimageprocessor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The upload page's files ({@code src/main/resources/static}), served at {@code /} by the web app and by the HTTP API
 * function alike. A fixed list rather than a folder: nothing else on the classpath can be read through it.
 */
public final class PageAssets {

    /** A file of the page. */
    public record Asset(byte[] content, String contentType) {
    }

    /**
     * Headers sent with every file of the page, by the web app and the HTTP API function alike. The policy allows
     * what the page does and no more: its own script and style files; images from itself, from S3 (on AWS a thumbnail
     * is a redirect to a presigned GET) and from blob: URLs (with a token, app.js fetches a thumbnail and shows the
     * bytes); requests to itself and to S3 (the presigned PUT of an upload); the data: URL of the empty icon, which
     * keeps the browser from asking for /favicon.ico. No inline script or style, no framing, no forms.
     */
    public static final Map<String, String> SECURITY_HEADERS = Map.of("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob: https://*.amazonaws.com https://*.amazonaws.com.cn; "
                    + "connect-src 'self' https://*.amazonaws.com https://*.amazonaws.com.cn; script-src 'self'; "
                    + "style-src 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer");

    private static final Map<String, String> FILES = Map.of("index.html", "text/html;charset=UTF-8", "app.js",
            "text/javascript;charset=UTF-8", "app.css", "text/css;charset=UTF-8");

    private PageAssets() {
    }

    /**
     * @param path the request path: {@code /} or {@code /index.html} for the page, {@code /app.js}, {@code /app.css}
     */
    public static Optional<Asset> find(String path) {
        String name = path == null || path.equals("/") || path.isEmpty() ? "index.html"
                : path.startsWith("/") ? path.substring(1) : path;
        String contentType = FILES.get(name);
        if (contentType == null) {
            return Optional.empty();
        }
        try (InputStream in = PageAssets.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("static/" + name + " is missing from the classpath");
            }
            return Optional.of(new Asset(in.readAllBytes(), contentType));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to read static/" + name, e);
        }
    }
}
