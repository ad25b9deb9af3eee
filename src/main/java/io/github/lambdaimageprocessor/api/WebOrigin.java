package io.github.lambdaimageprocessor.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A web origin (RFC 6454) with its port written out and its scheme and host in lower case, so that equal origins
 * compare equal however they were spelt: {@code https://App.example.com} and {@code https://app.example.com:443} are
 * one origin. Browsers send it in {@code Origin}; the web app's own origin is its scheme and {@code Host}.
 */
public record WebOrigin(String scheme, String host, int port) {

    /** The origin of an {@code Origin} header; empty for {@code null} (an opaque origin) or anything malformed. */
    public static Optional<WebOrigin> of(String serialized) {
        if (serialized == null) {
            return Optional.empty();
        }
        int separator = serialized.indexOf("://");
        return separator <= 0 ? Optional.empty()
                : of(serialized.substring(0, separator), serialized.substring(separator + 3));
    }

    /** The origin of a request in {@code scheme} to {@code authority} (a Host header: host and optional port). */
    public static Optional<WebOrigin> of(String scheme, String authority) {
        try {
            URI uri = new URI(scheme + "://" + authority);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            String lowerScheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(lowerScheme) ? 443 : 80;
            return Optional.of(new WebOrigin(lowerScheme, uri.getHost().toLowerCase(Locale.ROOT), port));
        }
        catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * An origin an operator configured, or an {@link IllegalArgumentException} saying what is wrong with it: only
     * {@code http} or {@code https}, a host and an optional port, no wildcard and no path, query or trailing slash. A
     * browser's {@code Origin} never holds a path, so an origin written with one would silently match nothing, and a
     * wildcard would hand every website the API.
     */
    public static WebOrigin configured(String value) {
        String origin = value == null ? "" : value.strip();
        if (origin.isEmpty()) {
            throw new IllegalArgumentException("an empty origin (a stray comma?)");
        }
        if (origin.contains("*")) {
            throw new IllegalArgumentException("'" + origin + "', a wildcard: name each origin (scheme, host and "
                    + "optional port, such as https://app.example.com)");
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("'" + origin + "', which does not start with http:// or https://");
        }
        int separator = origin.indexOf("://");
        String authority = origin.substring(separator + 3);
        if (authority.contains("/") || authority.contains("?") || authority.contains("#")) {
            throw new IllegalArgumentException("'" + origin + "', which has a path, query or trailing slash: an "
                    + "origin is scheme, host and optional port only (a browser's Origin never has more, so it would "
                    + "match nothing)");
        }
        return of(origin.substring(0, separator), authority)
            .filter(parsed -> parsed.port() > 0 && parsed.port() <= 65535)
            .orElseThrow(() -> new IllegalArgumentException("'" + origin + "', which is not an origin: write scheme, "
                    + "host and optional port, such as https://app.example.com or http://localhost:3000"));
    }

    /**
     * The origin as a browser writes it in {@code Origin}: lower case, the default port (80 for http, 443 for https)
     * left out.
     */
    public String serialized() {
        boolean defaultPort = port == ("https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
