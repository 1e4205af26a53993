package dme.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a query string without touching the request body. (The servlet's getParameter would read
 * a form-encoded upload body into memory to look for parameters.)
 */
final class QueryString {
    private static final int MAX_LENGTH = 8192;

    private QueryString() {}

    /** First value per name; malformed escapes make the whole query invalid input. */
    static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        if (query.length() > MAX_LENGTH) {
            throw ApiException.invalid("the query string is longer than " + MAX_LENGTH + " characters");
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("malformed query string: " + e.getMessage());
            }
        }
        return out;
    }
}
