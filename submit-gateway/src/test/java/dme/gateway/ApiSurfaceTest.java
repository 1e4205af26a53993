package dme.gateway;

import static dme.gateway.GatewayFixture.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document covers every route; errors are JSON everywhere; the page and its headers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiSurfaceTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "head", "patch", "options");

    @TempDir
    Path dir;

    @Test
    void openApiDocumentsEveryImplementedRoute() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            HttpResponse<String> doc = g.get("/openapi.yaml");
            assertEquals(200, doc.statusCode());
            assertTrue(doc.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
            assertTrue(doc.body().startsWith("openapi: 3."));
            Set<String> documented = documentedOperations(doc.body());
            List<String> routes = g.gateway.routes();
            assertTrue(routes.size() >= 20, "routes: " + routes);
            for (String route : routes) {
                String[] mp = route.split(" ", 2);
                String key = mp[0].toLowerCase(Locale.ROOT) + " " + normalise(mp[1]);
                assertTrue(documented.contains(key), route + " is not in openapi.yaml; documented: " + documented);
            }
            for (String op : documented) {
                String[] mp = op.split(" ", 2);
                assertTrue(routes.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).startsWith(mp[0] + " ")
                        && normalise(r.split(" ", 2)[1]).equals(mp[1])), op + " is documented but not implemented");
            }
        }
    }

    @Test
    void jobTimeIsDocumentedInSecondsAndTimeMsInMilliseconds() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            String yaml = g.get("/openapi.yaml").body();
            String time = schemaProperty(yaml, "Job", "time");
            assertTrue(time.contains("type: number") && time.contains("in seconds"), time);
            String timeMs = schemaProperty(yaml, "Job", "time_ms");
            assertTrue(timeMs.contains("type: integer") && timeMs.contains("in milliseconds"), timeMs);
        }
    }

    /** The one-line definition of a property of a schema under components/schemas (plain block YAML). */
    static String schemaProperty(String yaml, String schema, String property) {
        boolean inSchema = false;
        for (String line : yaml.split("\n")) {
            if (line.matches("    [A-Za-z]+:\\s*")) {
                inSchema = line.trim().equals(schema + ":");
            } else if (inSchema && line.startsWith("        " + property + ":")) {
                return line.trim();
            }
        }
        throw new AssertionError("no property " + property + " in schema " + schema);
    }

    @Test
    void theApiPageShowsEveryOperationAsHtml() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            HttpResponse<String> page = g.get("/api");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            for (String op : documentedOperations(g.get("/openapi.yaml").body())) {
                String[] mp = op.split(" ", 2);
                assertTrue(page.body().contains(">" + mp[0].toUpperCase(Locale.ROOT) + "</span>"), op);
            }
            assertTrue(page.body().contains("<code>/music/{music_id}</code>"), "paths appear as text");
            assertTrue(page.body().contains("id=\"schema-ProcessBody\""), "schemas are listed");
            assertTrue(!page.body().contains("<script") && !page.body().contains("https://"), "no script, nothing external");
        }
    }

    /** "method /path/{}" for each operation under paths: (indentation-based: the file is plain block YAML). */
    static Set<String> documentedOperations(String yaml) {
        Set<String> ops = new HashSet<>();
        boolean inPaths = false;
        String path = null;
        for (String line : yaml.split("\n")) {
            if (!line.startsWith(" ") && !line.isBlank()) {
                inPaths = line.startsWith("paths:");
                continue;
            }
            if (!inPaths) {
                continue;
            }
            if (line.matches("  /[^ ]*:\\s*")) {
                path = line.trim().substring(0, line.trim().length() - 1);
            } else if (path != null && line.matches("    [a-z]+:.*")) {
                String m = line.trim().substring(0, line.trim().indexOf(':'));
                if (METHODS.contains(m)) {
                    ops.add(m + " " + normalise(path));
                }
            }
        }
        return ops;
    }

    private static String normalise(String path) {
        return path.replaceAll("\\{[^}]+}", "{}").replaceAll(":[A-Za-z_]+", "{}");
    }

    @Test
    void errorsAreJsonEverywhere() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            assertError(g.get("/nope"), 404);
            assertError(g.get("/music/1/nope"), 404);
            assertError(g.send(HttpRequest.newBuilder(g.uri("/music")).PUT(HttpRequest.BodyPublishers.ofString("x"))), 404);
            assertError(g.get("/files/1/stems/..%2f..%2fsecret"), g.get("/files/1/stems/..%2f..%2fsecret").statusCode());
            // Jetty-level refusals (a malformed request line) are JSON too
            String raw = g.rawExchange("GET /music HTTP/1.1\r\nHost: localhost\r\nX-Bad: " + "a".repeat(20000) + "\r\n\r\n");
            assertTrue(raw.startsWith("HTTP/1.1 431") || raw.startsWith("HTTP/1.1 400"), raw.substring(0, Math.min(200, raw.length())));
            assertTrue(raw.contains("application/json") && raw.contains("\"error\""), raw);
            assertFalse(raw.contains("<html"), raw);

            // a broken file in storage: a JSON 500 that says which record, never a stack trace or a path
            java.nio.file.Files.createDirectories(g.root.resolve("songs/5"));
            java.nio.file.Files.writeString(g.root.resolve("songs/5/meta.json"), "{not json");
            HttpResponse<String> broken = g.get("/music/5");
            String msg = assertError(broken, 500);
            assertTrue(msg.contains("song 5") && msg.contains("damaged"), msg);
            assertFalse(GatewayFixture.json(broken).path("error_id").asText().isBlank(), broken.body());
            assertFalse(broken.body().contains("\tat ") || broken.body().contains(g.root.toString())
                    || broken.body().contains("Exception"), broken.body());
        }
    }

    @Test
    void pageIsServedWithSecurityHeaders() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir)) {
            HttpResponse<String> page = g.get("/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("<script src=\"/app.js\""));
            assertFalse(page.body().contains("<script>"), "no inline scripts: the CSP forbids them");
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
            assertFalse(page.headers().firstValue("Server").isPresent(), "no server version");
            assertEquals(List.of("no-cache"), page.headers().allValues("Cache-Control"));
            for (String asset : List.of("/app.js", "/style.css", "/favicon.svg")) {
                HttpResponse<String> r = g.get(asset);
                assertEquals(200, r.statusCode(), asset);
                assertFalse(r.body().isBlank(), asset);
            }
            assertEquals("nosniff", g.get("/music").headers().firstValue("X-Content-Type-Options").orElse(""));
            assertError(g.get("/index.html.bak"), 404);
        }
    }
}
