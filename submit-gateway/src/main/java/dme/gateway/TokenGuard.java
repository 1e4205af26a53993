package dme.gateway;

import dme.core.DmeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Bearer-token checks for the write endpoints (process, delete) and the admin endpoint (reset).
 *
 * <p>Off when no token is configured. Write endpoints take the write token or the admin token;
 * reset takes only the admin token (or the write token when no admin token is set). Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither their content nor
 * their length leaks through timing.
 */
final class TokenGuard {
    private final Optional<byte[]> adminDigest;
    private final Optional<byte[]> writeDigest;
    /** True when a write token of its own is set (writeToken() falls back to the admin token). */
    private final boolean ownWriteToken;

    TokenGuard(DmeConfig config) {
        this.adminDigest = config.adminToken().map(TokenGuard::digest);
        this.writeDigest = config.writeToken().map(TokenGuard::digest);
        this.ownWriteToken = config.writeToken().isPresent() && !config.writeToken().equals(config.adminToken());
    }

    boolean writeProtected() {
        return writeDigest.isPresent() || adminDigest.isPresent();
    }

    boolean adminProtected() {
        return adminDigest.isPresent() || writeDigest.isPresent();
    }

    /** Throws 401 unless the Authorization header carries the write or the admin token. */
    void requireWrite(String authorizationHeader) {
        if (!writeProtected()) {
            return;
        }
        byte[] given = bearer(authorizationHeader);
        boolean ok = matches(writeDigest, given) | matches(adminDigest, given);
        if (!ok) {
            // name the token that is configured: with only an admin token, that one opens writes too
            throw refused(ownWriteToken ? "<write token>" : "<admin token>", given);
        }
    }

    /** Throws 401 unless the Authorization header carries the admin token. */
    void requireAdmin(String authorizationHeader) {
        if (!adminProtected()) {
            return;
        }
        byte[] given = bearer(authorizationHeader);
        boolean ok = adminDigest.isPresent() ? matches(adminDigest, given) : matches(writeDigest, given);
        if (!ok) {
            throw refused(adminDigest.isPresent() ? "<admin token>" : "<write token>", given);
        }
    }

    private static ApiException refused(String which, byte[] given) {
        return ApiException.unauthorized("this endpoint needs 'Authorization: Bearer " + which + "'"
                + (given == null ? "" : ": the token is wrong"));
    }

    /** Digest of the presented token, or null when the header is absent or not a bearer token. */
    private static byte[] bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : digest(token);
    }

    private static boolean matches(Optional<byte[]> expected, byte[] given) {
        return given != null && expected.isPresent() && MessageDigest.isEqual(expected.get(), given);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
