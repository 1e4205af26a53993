package dme.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random ids that tie an error answer to its line in the server log. */
final class ErrorIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ErrorIds() {}

    static String next() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
