package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot starve the gateway: many connections that send upload headers and then one
 * byte per second, and connections that never finish their headers. Reads and /info keep
 * answering within the contract client's 3 s timeout, uploads beyond the limit are answered 503 at
 * once, and the server itself closes every slow connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowClientTest {
    static final int UPLOAD_LIMIT = 2;
    static final int DRIBBLERS = 12;
    static final int HEADERS_ONLY = 3;

    @TempDir
    Path dir;

    @Test
    void dribblingUploadsDoNotStarveReadsAndAreCutOff() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.UPLOAD_MAX_CONCURRENT, String.valueOf(UPLOAD_LIMIT),
                DmeConfig.IDLE_TIMEOUT_SECONDS, "3"))) {
            assertEquals(200, g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.3, 440), null).statusCode());
            ExecutorService pool = Executors.newCachedThreadPool();
            List<Socket> sockets = new ArrayList<>();
            List<CompletableFuture<String>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < DRIBBLERS + HEADERS_ONLY; i++) {
                    Socket s = new Socket("127.0.0.1", g.gateway.port());
                    s.setSoTimeout(60_000);
                    sockets.add(s);
                    boolean dribble = i < DRIBBLERS;
                    String head = dribble
                            ? "POST /music HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                                    + "Content-Length: 1000000\r\n\r\n"
                            : "POST /music HTTP/1.1\r\nHost: 127.0.0.1\r\n"; // headers never finished
                    s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    answers.add(CompletableFuture.supplyAsync(() -> readUntilClosed(s), pool));
                    if (dribble) {
                        pool.submit(() -> dribble(s));
                    }
                }

                // meanwhile the service answers everybody else, each request within the contract's 3 s
                for (int round = 0; round < 4; round++) {
                    for (String path : List.of("/info", "/music", "/music/1")) {
                        HttpResponse<String> r = g.client.send(HttpRequest.newBuilder(g.uri(path))
                                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), path);
                    }
                    Thread.sleep(500);
                }

                // every slow connection is closed by the server, generously soon
                int refusedAtOnce = 0;
                int cutOff = 0;
                for (int i = 0; i < answers.size(); i++) {
                    String got = answers.get(i).get(60, TimeUnit.SECONDS);
                    assertTrue(!got.startsWith("open"), "connection " + i + " still open: " + got);
                    if (got.startsWith("HTTP/1.1 503")) {
                        refusedAtOnce++;
                    } else if (i < DRIBBLERS) {
                        cutOff++;
                        assertTrue(got.startsWith("closed") || got.startsWith("HTTP/1.1 408") || got.startsWith("HTTP/1.1 400"), got);
                    }
                }
                assertTrue(refusedAtOnce >= DRIBBLERS - UPLOAD_LIMIT, refusedAtOnce + " refused at once");
                assertTrue(cutOff <= UPLOAD_LIMIT, cutOff + " admitted then cut off");
                // and the slots are free again: a normal upload goes through
                assertEquals(200, g.uploadRaw(TestAudio.wav(dir.resolve("b.wav"), 0.3, 440), null).statusCode());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
                pool.shutdownNow();
            }
        }
    }

    private static void dribble(Socket s) {
        try {
            for (int i = 0; i < 60; i++) {
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException e) {
            // the server closed it: what the test waits for
        }
    }

    /** What the server sent until it closed the connection, "closed" if nothing, "open" if it never closed. */
    private static String readUntilClosed(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return "open after 60 s: " + got.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            // reset by the server counts as closed
        }
        return got.size() == 0 ? "closed" : got.toString(StandardCharsets.ISO_8859_1);
    }
}
