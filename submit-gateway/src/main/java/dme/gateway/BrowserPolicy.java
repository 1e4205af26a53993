package dme.gateway;

import spark.Request;
import spark.Response;

/**
 * What every answer tells browsers before any route runs: the security headers, CORS for the listed
 * origins, and the cross-site check ({@link CrossSiteGuard}) of state-changing requests.
 */
final class BrowserPolicy {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final CrossSiteGuard crossSite;

    BrowserPolicy(CrossSiteGuard crossSite) {
        this.crossSite = crossSite;
    }

    /**
     * Sets the headers and refuses a cross-site request (403); true when the request is a CORS
     * preflight of a listed origin, which the headers alone answer (204).
     */
    boolean apply(Request req, Response res) {
        res.header("X-Content-Type-Options", "nosniff");
        res.header("X-Frame-Options", "DENY");
        res.header("Referrer-Policy", "no-referrer");
        res.header("Content-Security-Policy", CSP);
        res.header("Cache-Control", "no-store");
        String origin = req.headers("Origin");
        if (crossSite.isListed(origin)) {
            // a deliberate cross-origin client may read the answers and send JSON and tokens
            res.header("Access-Control-Allow-Origin", origin);
            res.header("Vary", "Origin");
            if ("OPTIONS".equals(req.requestMethod())) {
                res.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
                res.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
                res.header("Access-Control-Max-Age", "600");
                return true;
            }
        }
        crossSite.check(req.requestMethod(), origin, req.headers("Sec-Fetch-Site"), UrlBase.of(req).prefix());
        return false;
    }
}
