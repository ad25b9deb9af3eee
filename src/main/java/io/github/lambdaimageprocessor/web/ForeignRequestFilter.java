package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.api.WebOrigin;
import io.github.lambdaimageprocessor.processing.UntrustedText;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsUtils;
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
 * no browser's (curl, scripts) and passes, as does one from the app's own page, or from a page whose origin is listed
 * in {@code image-processor.uploads.allowed-origins} (none by default).</li>
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

    private final AllowedOrigins allowedOrigins;

    ForeignRequestFilter(JsonMapper json, boolean loopbackOnly) {
        this(json, loopbackOnly, AllowedOrigins.NONE);
    }

    /**
     * @param loopbackOnly whether the server listens on a loopback address only, so that every request a browser
     * sends it legitimately names a loopback host
     * @param allowedOrigins pages the operator listed ({@code image-processor.uploads.allowed-origins}), whose writes
     * pass as the app's own page's do
     */
    ForeignRequestFilter(JsonMapper json, boolean loopbackOnly, AllowedOrigins allowedOrigins) {
        this.json = json;
        this.loopbackOnly = loopbackOnly;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader(HttpHeaders.HOST);
        // HTTP/1.1 requires Host (Tomcat refuses a request without one); an HTTP/1.0 client without it is no browser
        Optional<WebOrigin> named = host == null ? Optional.empty() : WebOrigin.of(request.getScheme(), host);
        if (loopbackOnly && host != null && !named.map(WebOrigin::host).filter(LOOPBACK_HOSTS::contains).isPresent()) {
            ProblemResponses.write(json, response, HttpStatus.MISDIRECTED_REQUEST, request.getRequestURI(),
                    "This server listens on loopback and answers only for localhost, 127.0.0.1 and [::1], not for "
                            + "the host '" + UntrustedText.excerpt(host) + "' (a page whose DNS name points at this machine, DNS rebinding, "
                            + "would send that). Use http://localhost:" + request.getLocalPort() + "/.");
            return;
        }
        WebOrigin own = named.orElseGet(() -> new WebOrigin(request.getScheme().toLowerCase(Locale.ROOT),
                request.getServerName().toLowerCase(Locale.ROOT), request.getServerPort()));
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (CorsUtils.isPreFlightRequest(request) && allowedOrigins.allow(origin).isEmpty()
                && !WebOrigin.of(origin).equals(Optional.of(own))) {
            // Spring answers a preflight no CORS mapping covers (every route, with no origin allowed) 200 with every
            // method in Allow, those the route lacks too; refused here as Spring refuses an origin not listed, and as
            // the function does
            ProblemResponses.write(json, response, HttpStatus.FORBIDDEN, request.getRequestURI(), "The origin "
                    + UntrustedText.excerpt(origin) + " may not call this app from a browser: it is not in "
                    + "image-processor.uploads.allowed-origins");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            String refusal = otherSite(request, own);
            if (refusal != null) {
                ProblemResponses.write(json, response, HttpStatus.FORBIDDEN, request.getRequestURI(), "Refused a "
                        + request.getMethod() + " sent by another website (" + refusal + "): the app has no "
                        + "authentication, so it takes changes only from its own page at " + own
                        + ", from the origins listed in image-processor.uploads.allowed-origins and from clients "
                        + "that send no Origin, such as curl.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** What marks the request as another site's, or null when nothing does. */
    private String otherSite(HttpServletRequest request, WebOrigin own) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (allowedOrigins.allow(origin).isPresent()) {
            // a page the operator listed: it is another site by design (a front end on its own origin)
            return null;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && OTHER_SITES.contains(site.toLowerCase(Locale.ROOT))) {
            return "Sec-Fetch-Site: " + UntrustedText.excerpt(site);
        }
        if (origin != null && !WebOrigin.of(origin).equals(Optional.of(own))) {
            return "Origin: " + UntrustedText.excerpt(origin);
        }
        return null;
    }
}
