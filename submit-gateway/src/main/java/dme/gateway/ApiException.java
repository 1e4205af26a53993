package dme.gateway;

/** A request the gateway refuses: carries the HTTP status and the message of the JSON error body. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** The public contract answers invalid input (bad body, unknown track, not audio, too large) with 405. */
    static ApiException invalid(String message) {
        return new ApiException(405, message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    /** Malformed request syntax (e.g. a body that is not exactly one JSON value). */
    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** The server cannot take the request now; the client may retry (the handler adds Retry-After). */
    static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }

    /** The song is not in a state the request applies to (e.g. nothing to cancel). */
    static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }
}
