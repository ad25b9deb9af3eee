package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps other websites out of the local app, whose HTTP side has no authentication and relies on listening on loopback
 * only. Loopback does not stop the developer's own browser: a page they visit can send a multipart or
 * {@code text/plain} POST to 127.0.0.1 without a CORS preflight, and a page whose DNS name the attacker re-points at
 * 127.0.0.1 (DNS rebinding) is even same-origin with the app and reads every answer. So:
 * <ul>
 * <li>a state-changing request (any method but GET, HEAD and OPTIONS) that a browser marks as sent by another site
 * ({@code Sec-Fetch-Site: cross-site} or {@code same-site}) or by another origin (an {@code Origin} that is not this
 * server's own scheme, host and port) gets a 403 problem before any route reads it. A request with neither header is
 * no browser's (curl, scripts) and passes, as does one from the app's own page.</li>
 * <li>while the server listens on a loopback address, a request naming any host but localhost, 127.0.0.1 or [::1]
 * gets a 421 problem, whatever its method: a rebinding page names its own host, and so gets nothing. 421 Misdirected
 * Request (RFC 9110, 15.5.20) rather than 403, because it says what is wrong: this server does not answer for that
 * name, which no credential would change. Bound to another address ({@code --server.address=0.0.0.0}) the app is
 * reached by names this filter cannot know, so there it checks no host.</li>
 * </ul>
 */
class ForeignRequestFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    private final JsonMapper json;

    private final boolean loopbackOnly;

    /**
     * @param loopbackOnly whether the server listens on a loopback address only, so that every request a browser
     * sends it legitimately names a loopback host
     */
    ForeignRequestFilter(JsonMapper json, boolean loopbackOnly) {
        this.json = json;
        this.loopbackOnly = loopbackOnly;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader(HttpHeaders.HOST);
        // HTTP/1.1 requires Host (Tomcat refuses a request without one); an HTTP/1.0 client without it is no browser
        Optional<Origin> named = host == null ? Optional.empty() : Origin.of(request.getScheme(), host);
        if (loopbackOnly && host != null && !named.map(Origin::host).filter(LOOPBACK_HOSTS::contains).isPresent()) {
            ProblemResponses.write(json, response, HttpStatus.MISDIRECTED_REQUEST, request.getRequestURI(),
                    "This server listens on loopback and answers only for localhost, 127.0.0.1 and [::1], not for "
                            + "the host '" + host + "' (a page whose DNS name points at this machine, DNS rebinding, "
                            + "would send that). Use http://localhost:" + request.getLocalPort() + "/.");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            Origin own = named.orElseGet(() -> new Origin(request.getScheme().toLowerCase(Locale.ROOT),
                    request.getServerName().toLowerCase(Locale.ROOT), request.getServerPort()));
            String refusal = otherSite(request, own);
            if (refusal != null) {
                ProblemResponses.write(json, response, HttpStatus.FORBIDDEN, request.getRequestURI(), "Refused a "
                        + request.getMethod() + " sent by another website (" + refusal + "): the app has no "
                        + "authentication, so it takes changes only from its own page at " + own
                        + " and from clients that send no Origin, such as curl.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** What marks the request as another site's, or null when nothing does. */
    private static String otherSite(HttpServletRequest request, Origin own) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && OTHER_SITES.contains(site.toLowerCase(Locale.ROOT))) {
            return "Sec-Fetch-Site: " + site;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !Origin.of(origin).equals(Optional.of(own))) {
            return "Origin: " + origin;
        }
        return null;
    }

    /** A web origin with its port written out and its scheme and host in lower case, so equal ones compare equal. */
    record Origin(String scheme, String host, int port) {

        /** The origin of an {@code Origin} header; empty for {@code null} (an opaque origin) or anything malformed. */
        static Optional<Origin> of(String serialized) {
            int separator = serialized.indexOf("://");
            return separator <= 0 ? Optional.empty()
                    : of(serialized.substring(0, separator), serialized.substring(separator + 3));
        }

        /** The origin of a request in {@code scheme} to {@code authority} (a Host header: host and optional port). */
        static Optional<Origin> of(String scheme, String authority) {
            try {
                URI uri = new URI(scheme + "://" + authority);
                if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    return Optional.empty();
                }
                String lowerScheme = scheme.toLowerCase(Locale.ROOT);
                int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(lowerScheme) ? 443 : 80;
                return Optional.of(new Origin(lowerScheme, uri.getHost().toLowerCase(Locale.ROOT), port));
            }
            catch (URISyntaxException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return scheme + "://" + host + ":" + port;
        }
    }
}
