package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.audio.TestAudio;
import dme.core.format.Json;
import dme.gateway.Gateway;
import dme.job.driver.StreamingJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job dies under the supervisor that scripts/run-local.sh uses ({@code dme_supervise} in
 * scripts/lib.sh): {@code /info} reports it down once its heartbeat is older than the timeout, a
 * song requested meanwhile waits and says why, the supervisor starts the job again, the song
 * completes, and stopping the supervisor stops the job.
 */
class SupervisedJobTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKilledJobIsReportedDownRestartedAndCatchesUp() throws Exception {
        DmeConfig config = TestSongs.config(dir.resolve("root"))
                .with(DmeConfig.HEARTBEAT_SECONDS, "0.5")
                .with(DmeConfig.HEARTBEAT_TIMEOUT_SECONDS, "3");
        Storage storage = Storage.open(config.layout());
        Process supervisor = supervise(config, dir.resolve("job.log"));
        try (Gateway gateway = Gateway.start(config, 0)) {
            String base = "http://127.0.0.1:" + gateway.port();
            long deadline = System.currentTimeMillis() + 300_000;
            JsonNode info = awaitInfo(base, i -> i.get("job_alive").asBoolean(), deadline, supervisor);
            long jobPid = jobPid(supervisor).orElseThrow(() -> new AssertionError("no job JVM under the supervisor"));

            ProcessHandle.of(jobPid).orElseThrow().destroyForcibly();
            info = awaitInfo(base, i -> !i.get("job_alive").asBoolean(), deadline, supervisor);
            // the age is shown to 0.1 s, so a heartbeat 3.04 s old reads 3.0 against a timeout of 3
            assertTrue(info.get("job_heartbeat_age_s").asDouble() >= info.get("job_heartbeat_timeout_s").asDouble(),
                    info.toString());

            long id = TestSongs.storeMusic(storage, dir, TestAudio.song(4, 3), "while down");
            HttpResponse<String> process = send("POST", base + "/music/" + id, "[1,4]");
            assertEquals(200, process.statusCode(), process.body());
            JsonNode waiting = Json.mapper().readTree(send("GET", base + "/music/" + id, null).body());
            // heartbeats only move forward: still down now means it was down when the song was read
            boolean stillDown = !Json.mapper().readTree(send("GET", base + "/info", null).body()).get("job_alive").asBoolean();
            if (stillDown) {
                assertEquals("queued", waiting.get("state").asText(), waiting.toString());
                assertTrue(waiting.get("waiting_for").asText().contains("not running"), waiting.toString());
            }

            awaitInfo(base, i -> i.get("job_alive").asBoolean(), deadline, supervisor);
            long restarted = jobPid(supervisor).orElseThrow(() -> new AssertionError("no job JVM under the supervisor"));
            assertTrue(restarted != jobPid, "a new job process");
            while (true) {
                JsonNode p = Json.mapper().readTree(send("GET", base + "/music/" + id, null).body());
                if (p.get("progress").asInt() == 100) {
                    break;
                }
                assertFalse(p.get("state").asText().equals("failed"), p.toString());
                assertTrue(System.currentTimeMillis() < deadline, "the song completed after the restart: " + p);
                Thread.sleep(300);
            }
            String log = Files.readString(dir.resolve("job.log"));
            assertTrue(log.contains("exited (code 137"), "the supervisor logged the death");

            supervisor.destroy(); // TERM, as Ctrl-C on run-local.sh
            assertTrue(supervisor.waitFor(60, TimeUnit.SECONDS), "the supervisor stopped");
            Optional<ProcessHandle> left = ProcessHandle.of(restarted);
            if (left.isPresent()) {
                assertTrue(left.get().onExit().get(60, TimeUnit.SECONDS) != null, "the job stopped with it");
            }
        } finally {
            supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
        }
    }

    /** {@code dme_supervise} from scripts/lib.sh around the job's JVM, with the test's class path. */
    private Process supervise(DmeConfig config, Path log) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "../conf")).toAbsolutePath();
        Path lib = conf.getParent().resolve("scripts/lib.sh");
        List<String> java = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "@" + conf.resolve("jvm.options"), "-Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"),
                "-cp", classpath, StreamingJob.class.getName());
        List<String> cmd = new ArrayList<>(List.of("bash", "-c",
                "source \"$0\"; dme_supervise \"$1\" job \"${@:2}\"", lib.toString(), log.toString()));
        cmd.addAll(java);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("supervisor.out").toFile());
        config.asMap().forEach((k, v) -> pb.environment().put(DmeConfig.envName(k), v));
        return pb.start();
    }

    /** The job's JVM: the supervisor's one java child (its command line is too long to search). */
    private static Optional<Long> jobPid(Process supervisor) {
        return supervisor.children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    private JsonNode awaitInfo(String base, Predicate<JsonNode> until, long deadline, Process supervisor) throws Exception {
        while (true) {
            JsonNode info = Json.mapper().readTree(send("GET", base + "/info", null).body());
            if (until.test(info)) {
                return info;
            }
            assertTrue(supervisor.isAlive(), "the supervisor is running");
            assertTrue(System.currentTimeMillis() < deadline, "in time: " + info);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
