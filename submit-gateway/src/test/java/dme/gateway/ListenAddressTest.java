package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dme.core.DmeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a token the gateway listens on loopback only, unless told otherwise; with one, everywhere. */
class ListenAddressTest {
    @Test
    void loopbackByDefaultWithoutATokenAndAllInterfacesAFlagAway() throws Exception {
        assertEquals("127.0.0.1", DmeConfig.of(Map.of()).httpHost());
        assertEquals("0.0.0.0", DmeConfig.of(Map.of(DmeConfig.ADMIN_TOKEN, "a")).httpHost());
        assertEquals("0.0.0.0", DmeConfig.of(Map.of(DmeConfig.WRITE_TOKEN, "w")).httpHost());
        assertEquals("0.0.0.0", DmeConfig.of(Map.of(DmeConfig.HTTP_HOST, "0.0.0.0")).httpHost());
        assertEquals("127.0.0.1", DmeConfig.of(Map.of(DmeConfig.ADMIN_TOKEN, "a", DmeConfig.HTTP_HOST, "127.0.0.1")).httpHost());

        // the real server: bound to loopback, so only 127.0.0.1 reaches it
        Map<String, String> defaults = Map.of(DmeConfig.ROOT, java.nio.file.Files.createTempDirectory("dme-listen").toUri().toString());
        try (Gateway g = Gateway.start(DmeConfig.of(defaults), 0)) {
            String host = ((org.eclipse.jetty.server.ServerConnector) jettyConnector(g)).getHost();
            assertEquals("127.0.0.1", host);
        }
    }

    private static Object jettyConnector(Gateway g) {
        return g.jettyServer().getConnectors()[0];
    }
}
