package dme.gateway;

import java.util.Locale;
import java.util.Set;

/**
 * Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a web page of another site
 * makes the user's browser send: a form auto-submitted to {@code /reset}, a no-cors upload.
 *
 * <p>Browsers say where a request comes from: {@code Origin} (sent with every cross-origin POST, and
 * {@code null} from sandboxed or file pages) and {@code Sec-Fetch-Site}. A request is allowed when its
 * Origin is the gateway's own or on the configured allow-list; without an Origin, when
 * Sec-Fetch-Site is absent, {@code same-origin} or {@code none} (typed by the user). A request with
 * neither header is not from a browser page (curl, scripts, the contract's test client) and is
 * allowed; those clients are what the tokens are for.
 */
final class CrossSiteGuard {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Set<String> allowedOrigins;

    CrossSiteGuard(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /**
     * Throws 403 when the request must be refused.
     *
     * @param ownOrigin the gateway's origin as this request reached it, e.g. {@code http://localhost:4567}
     */
    void check(String method, String origin, String secFetchSite, String ownOrigin) {
        if (SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            return;
        }
        if (origin != null) {
            if (!isAllowed(origin, ownOrigin)) {
                throw ApiException.forbidden("cross-site request refused: a page of " + MessageText.clip(origin)
                        + " may not change this server's songs (dme.http.allowed.origins lists the origins that may)");
            }
            return;
        }
        String site = secFetchSite == null ? "" : secFetchSite.trim().toLowerCase(Locale.ROOT);
        if (site.equals("cross-site") || site.equals("same-site")) {
            throw ApiException.forbidden("cross-site request refused: a page of another site may not change this server's songs");
        }
    }

    /** Whether a browser page of this origin may call the write endpoints (also used for CORS answers). */
    boolean isAllowed(String origin, String ownOrigin) {
        String o = normalise(origin);
        return o.equals(normalise(ownOrigin)) || allowedOrigins.contains(o);
    }

    /** Whether the origin is on the configured list (not merely the gateway's own). */
    boolean isListed(String origin) {
        return origin != null && allowedOrigins.contains(normalise(origin));
    }

    private static String normalise(String origin) {
        if (origin == null) {
            return "";
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        // the default port is implied: http://host:80 is http://host
        if (o.startsWith("http://") && o.endsWith(":80")) {
            o = o.substring(0, o.length() - 3);
        } else if (o.startsWith("https://") && o.endsWith(":443")) {
            o = o.substring(0, o.length() - 4);
        }
        return o;
    }
}
