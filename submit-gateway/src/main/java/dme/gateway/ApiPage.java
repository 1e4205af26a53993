package dme.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document as a readable HTML page (served at {@code /api}): every path and method with
 * its summary, description, parameters, body and responses, and the schemas. Built once from the
 * document the gateway serves, with the page's own style sheet; no script, no external resources.
 */
final class ApiPage {
    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "head");

    private ApiPage() {}

    static byte[] render(byte[] openApiYaml) throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(openApiYaml);
        StringBuilder h = new StringBuilder(32_768);
        JsonNode info = doc.path("info");
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"color-scheme\" content=\"light dark\">")
                .append("<title>").append(esc(info.path("title").asText("API"))).append(" · API</title>")
                .append("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">")
                .append("<link rel=\"stylesheet\" href=\"/style.css\"></head><body class=\"api-page\">")
                .append("<header class=\"topbar\"><a class=\"brand\" href=\"/\"><img src=\"/favicon.svg\" alt=\"\" width=\"28\" height=\"28\">")
                .append("<span class=\"brand-name\">dme</span><span class=\"brand-tag\">REST API</span></a>")
                .append("<nav class=\"topnav\"><a class=\"ghost-link\" href=\"/openapi.yaml\">OpenAPI YAML</a></nav></header>")
                .append("<main class=\"page api\"><section class=\"card\"><h2>").append(esc(info.path("title").asText()))
                .append(" <span class=\"muted\">").append(esc(info.path("version").asText())).append("</span></h2>");
        para(h, info.path("description"));
        h.append("</section>");
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (String method : METHODS) {
                JsonNode op = p.getValue().get(method);
                if (op != null) {
                    operation(h, method, p.getKey(), op, p.getValue().path("parameters"));
                }
            }
        }
        h.append("<section class=\"card\"><h2>Schemas</h2>");
        for (Iterator<Map.Entry<String, JsonNode>> schemas = doc.path("components").path("schemas").fields(); schemas.hasNext(); ) {
            Map.Entry<String, JsonNode> s = schemas.next();
            h.append("<h3 id=\"schema-").append(esc(s.getKey())).append("\">").append(esc(s.getKey())).append("</h3>");
            properties(h, s.getValue());
        }
        h.append("</section></main></body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void operation(StringBuilder h, String method, String path, JsonNode op, JsonNode sharedParams) {
        h.append("<section class=\"card op\" id=\"").append(esc(method + " " + path)).append("\"><h3><span class=\"method ")
                .append(method).append("\">").append(method.toUpperCase(java.util.Locale.ROOT)).append("</span> <code>")
                .append(esc(path)).append("</code></h3><p>").append(esc(op.path("summary").asText())).append("</p>");
        para(h, op.path("description"));
        StringBuilder params = new StringBuilder();
        for (JsonNode list : List.of(sharedParams, op.path("parameters"))) {
            for (JsonNode prm : list) {
                String ref = prm.path("$ref").asText("");
                if (!ref.isEmpty()) {
                    params.append("<li><code>").append(esc(ref.substring(ref.lastIndexOf('/') + 1))).append("</code></li>");
                } else {
                    params.append("<li><code>").append(esc(prm.path("name").asText())).append("</code> (")
                            .append(esc(prm.path("in").asText())).append(") ").append(esc(prm.path("description").asText()))
                            .append(schemaText(prm.path("schema"))).append("</li>");
                }
            }
        }
        if (params.length() > 0) {
            h.append("<h4>Parameters</h4><ul>").append(params).append("</ul>");
        }
        JsonNode body = op.path("requestBody").path("content");
        if (!body.isMissingNode()) {
            h.append("<h4>Body</h4>");
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> c = it.next();
                h.append("<p><code>").append(esc(c.getKey())).append("</code>").append(schemaText(c.getValue().path("schema"))).append("</p>");
                examples(h, c.getValue());
            }
        }
        h.append("<h4>Responses</h4><ul>");
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            String ref = r.getValue().path("$ref").asText("");
            String text = ref.isEmpty() ? r.getValue().path("description").asText() : ref.substring(ref.lastIndexOf('/') + 1);
            h.append("<li><code>").append(esc(r.getKey())).append("</code> ").append(esc(text));
            JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
            h.append(schemaText(schema)).append("</li>");
        }
        h.append("</ul></section>");
    }

    private static void examples(StringBuilder h, JsonNode content) {
        if (content.has("example")) {
            h.append("<pre>").append(esc(content.get("example").toString())).append("</pre>");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.path("examples").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            h.append("<p class=\"muted\">").append(esc(e.getKey())).append("</p><pre>")
                    .append(esc(e.getValue().path("value").toString())).append("</pre>");
        }
    }

    private static void properties(StringBuilder h, JsonNode schema) {
        JsonNode props = schema.path("properties");
        if (props.isMissingNode()) {
            h.append("<p>").append(schemaText(schema)).append("</p>");
            return;
        }
        h.append("<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>");
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            h.append("<tr><td><code>").append(esc(p.getKey())).append("</code></td><td>").append(schemaText(p.getValue()))
                    .append("</td><td>").append(esc(p.getValue().path("description").asText())).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    /** A short text for a schema: its type, reference, enum or one-of. */
    private static String schemaText(JsonNode s) {
        if (s == null || s.isMissingNode() || s.isEmpty()) {
            return "";
        }
        String ref = s.path("$ref").asText("");
        if (!ref.isEmpty()) {
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            return " <a href=\"#schema-" + esc(name) + "\">" + esc(name) + "</a>";
        }
        if (s.has("oneOf")) {
            StringBuilder b = new StringBuilder(" one of:");
            for (JsonNode alt : s.get("oneOf")) {
                b.append(schemaText(alt)).append(';');
            }
            return b.toString();
        }
        StringBuilder b = new StringBuilder(" <code>").append(esc(s.path("type").asText("")));
        if (s.has("items")) {
            b.append(" of").append("</code>").append(schemaText(s.get("items"))).append("<code>");
        }
        if (s.has("enum")) {
            b.append(' ').append(esc(s.get("enum").toString()));
        }
        if (s.has("pattern")) {
            b.append(" ").append(esc(s.get("pattern").asText()));
        }
        return b.append("</code>").toString();
    }

    private static void para(StringBuilder h, JsonNode text) {
        if (text.isTextual() && !text.asText().isBlank()) {
            h.append("<p>").append(esc(text.asText().strip())).append("</p>");
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
