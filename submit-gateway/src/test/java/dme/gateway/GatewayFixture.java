package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.format.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A real gateway on a free port over a fresh file: storage root, and a plain HTTP client to talk to it. */
final class GatewayFixture implements AutoCloseable {
    final Path root;
    final Path tmp;
    final DmeConfig config;
    final Gateway gateway;
    final Storage storage;
    final StorageLayout layout;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    GatewayFixture(Path dir, Map<String, String> settings) throws IOException {
        this.root = Files.createDirectories(dir.resolve("store"));
        this.tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> all = new HashMap<>();
        all.put(DmeConfig.ROOT, root.toUri().toString());
        all.put(DmeConfig.LOCAL_TMP, tmp.toString());
        all.put(DmeConfig.HTTP_HOST, "127.0.0.1");
        all.putAll(settings);
        this.config = DmeConfig.of(all);
        this.gateway = Gateway.start(config, 0);
        this.layout = config.layout();
        this.storage = Storage.open(layout);
    }

    GatewayFixture(Path dir) throws IOException {
        this(dir, Map.of());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String path, String json, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<String> uploadRaw(Path file, String query) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/music" + (query == null ? "" : "?" + query)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    /** A multipart/form-data body built by hand: the file part plus optional text fields. */
    HttpResponse<String> uploadMultipart(Path file, String fileName, Map<String, String> fields)
            throws IOException, InterruptedException {
        String boundary = "----dme" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = multipartBody(boundary, file == null ? null : Files.readAllBytes(file), fileName, fields);
        return send(HttpRequest.newBuilder(uri("/music"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static byte[] multipartBody(String boundary, byte[] file, String fileName, Map<String, String> fields) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            head.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(f.getKey()).append("\"\r\n\r\n")
                    .append(f.getValue()).append("\r\n");
        }
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (file != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * Writes exactly {@code request} on a fresh connection and returns everything the server sends
     * until it closes or stays quiet (for requests whose body is deliberately never sent).
     */
    String rawExchange(String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int end = text.indexOf("\r\n\r\n");
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *([0-9]+)").matcher(text);
                    if (end >= 0 && m.find() && got.size() >= end + 4 + Integer.parseInt(m.group(1))) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server said all it had to say
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A storage fault without a mock: the staging folder of atomic writes becomes a plain file, so
     * every record write fails (on any user, root included) until {@link #unblockAtomicWrites}.
     */
    static void blockAtomicWrites(Path root) throws IOException {
        Path tmp = root.resolve("_tmp");
        if (Files.isDirectory(tmp)) {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.writeString(tmp, "in the way");
    }

    static void unblockAtomicWrites(Path root) throws IOException {
        Files.delete(root.resolve("_tmp"));
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    /** Asserts the status and that the body is a JSON error with a message; returns the message. */
    static String assertError(HttpResponse<String> r, int status) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "JSON error expected, got " + r.headers().firstValue("Content-Type") + ": " + r.body());
        JsonNode n = json(r);
        assertTrue(n.hasNonNull("error") && !n.get("error").asText().isBlank(), r.body());
        return n.get("error").asText();
    }

    /** Every regular file under the storage root, relative, sorted (the id markers included). */
    List<String> storedFiles() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.endsWith(".crc")).sorted().collect(Collectors.toList());
        }
    }

    /** Every regular file left in the gateway's local scratch space. */
    List<String> scratchFiles() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(Files::isRegularFile).map(Path::toString).sorted().collect(Collectors.toList());
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
