package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.TestAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Partial uploads a killed gateway left in its local scratch are removed at start-up and periodically. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadScratchSweepTest {
    @TempDir
    Path dir;

    @Test
    void staleUploadsAreRemovedAtStartAndLaterFreshOnesStay() throws Exception {
        Path scratch = Gateway.scratchRoot(DmeConfig.of(Map.of(DmeConfig.LOCAL_TMP, dir.resolve("tmp").toString())));
        Path crashed = partialUpload(scratch, "upload-crashed", Instant.now().minusSeconds(7200));
        Path live = partialUpload(scratch, "upload-live", Instant.now());

        try (GatewayFixture g = new GatewayFixture(dir, Map.of(DmeConfig.UPLOAD_SCRATCH_STALE_SECONDS, "20"))) {
            assertFalse(Files.exists(crashed), "swept at start-up");
            assertTrue(Files.exists(live), "an upload written just now is not stale");
            // later: the live one stops being written (its gateway died) and is swept while this one runs
            Files.setLastModifiedTime(live.resolve("upload.mp3"), FileTime.from(Instant.now().minusSeconds(120)));
            Files.setLastModifiedTime(live, FileTime.from(Instant.now().minusSeconds(120)));
            long deadline = System.currentTimeMillis() + 20_000;
            while (Files.exists(live) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertFalse(Files.exists(live), "swept periodically");
            // and an upload that goes through the gateway now still works
            assertEquals(200, g.uploadRaw(TestAudio.wav(dir.resolve("a.wav"), 0.3, 440), null).statusCode());
        }
    }

    private static Path partialUpload(Path scratch, String name, Instant at) throws Exception {
        Path d = Files.createDirectories(scratch.resolve(name));
        Path f = d.resolve("upload.mp3");
        Files.write(f, new byte[64 * 1024]);
        Files.setLastModifiedTime(f, FileTime.from(at));
        Files.setLastModifiedTime(d, FileTime.from(at));
        return d;
    }
}
