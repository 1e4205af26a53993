package dme.gateway;

import java.io.IOException;
import java.io.InputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletRequestWrapper;
import javax.servlet.http.HttpServletRequest;

/** A request body read from the container itself, never through sparkjava's request wrapper. */
final class RawBody {
    private RawBody() {}

    /** sparkjava's wrapper would buffer a non-chunked body in memory first: the container's stream streams it. */
    static InputStream open(HttpServletRequest request) throws IOException {
        ServletRequest cur = request;
        while (cur instanceof ServletRequestWrapper w) {
            cur = w.getRequest();
        }
        return cur.getInputStream();
    }
}
