package io.github.lambdaimageprocessor.api;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The web origins besides the API's own page whose pages may call the API from the browser (CORS), as configured in
 * {@code image-processor.uploads.allowed-origins}. A request's {@code Origin} is allowed when it is one of them, compared
 * as origins (scheme and host in any case, the default port written or not), never by prefix or pattern. No
 * credentials mode: tokens travel in {@code Authorization}, which a page sets itself, not in cookies.
 */
public final class AllowedOrigins {

    /** None: the API answers no cross-origin request with CORS headers, as before this setting. */
    public static final AllowedOrigins NONE = new AllowedOrigins(Set.of());

    /** How long a browser may keep a preflight's answer. */
    public static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

    private final Set<WebOrigin> origins;

    private AllowedOrigins(Set<WebOrigin> origins) {
        this.origins = origins;
    }

    /**
     * @throws IllegalArgumentException naming the first value that is not an origin ({@link WebOrigin#configured})
     */
    public static AllowedOrigins of(Collection<String> configured) {
        Set<WebOrigin> origins = new LinkedHashSet<>();
        for (String value : configured == null ? List.<String>of() : configured) {
            origins.add(WebOrigin.configured(value));
        }
        return origins.isEmpty() ? NONE : new AllowedOrigins(Set.copyOf(origins));
    }

    /** Each origin as a browser sends it in {@code Origin} ({@link WebOrigin#serialized}). */
    public List<String> serialized() {
        return origins.stream().map(WebOrigin::serialized).sorted().toList();
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    /**
     * The request's {@code Origin} as the answer's {@code Access-Control-Allow-Origin} must repeat it, when it is one
     * of these origins; empty without one, for {@code null} (an opaque origin) or any other.
     */
    public Optional<String> allow(String originHeader) {
        return WebOrigin.of(originHeader).filter(origins::contains).map(origin -> originHeader);
    }
}
