package dme.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web page and the OpenAPI document, served from the classpath. Only the files named here
 * exist; a request path never selects a resource by itself.
 */
final class StaticAssets {
    record Asset(byte[] bytes, String contentType) {}

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, Asset> assets;
    private final Asset openApi;
    private final Asset apiPage;

    StaticAssets() throws IOException {
        Map<String, Asset> m = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : TYPES.entrySet()) {
            m.put(e.getKey(), new Asset(load("/public/" + e.getKey()), e.getValue()));
        }
        this.assets = Map.copyOf(m);
        this.openApi = new Asset(load("/openapi.yaml"), "application/yaml; charset=utf-8");
        this.apiPage = new Asset(ApiPage.render(openApi.bytes()), "text/html; charset=utf-8");
    }

    Asset page(String name) {
        Asset a = assets.get(name);
        if (a == null) {
            throw ApiException.notFound("no such file");
        }
        return a;
    }

    Asset openApi() {
        return openApi;
    }

    /** The OpenAPI document as an HTML page. */
    Asset apiPage() {
        return apiPage;
    }

    private static byte[] load(String resource) throws IOException {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the gateway jar");
            }
            return in.readAllBytes();
        }
    }
}
