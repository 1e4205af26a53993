package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.SongStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Native tensors are freed per chunk: no growth over hundreds of chunks. */
class NativeMemoryTest {
    static final int WARMUP = 40;
    static final int CHUNKS = 300;
    /**
     * A leak of only the input and output tensors of a 0.5 s segment would be 10 floats × 22,050
     * frames = 0.9 MB per chunk, 260 MB over the run; libtorch's intermediates would add more.
     */
    static final long MAX_GROWTH_KB = 48 * 1024;

    @Test
    void everyChunkReleasesItsNativeArrays() {
        DemucsSeparator separator = DemucsSeparator.load(DemucsFixtures.tinyModel(),
                DemucsOptions.defaults().withSegmentSeconds(0.5).withDevice("cpu").withThreads(1, 1));
        float[][] chunk = DemucsFixtures.mixture(20_000, 5);
        int before = separator.openNativeArrays();
        for (int i = 0; i < 50; i++) {
            separator.separate(chunk, SongStats.IDENTITY);
            assertEquals(before, separator.openNativeArrays(), "native arrays still attached after chunk " + i);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void residentMemoryStaysFlatOverHundredsOfChunks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Fixed, pre-touched heap and serial GC: the heap's resident size cannot grow during the run.
        List<String> cmd = List.of(java, "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "-Dai.djl.offline=true", "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile", ""),
                "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName(),
                DemucsFixtures.tinyModel().toString(), String.valueOf(WARMUP), String.valueOf(CHUNKS), "0.5");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<long[]> rss = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.append(line).append('\n');
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("rss")) {
                    rss.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe finished");
        assertEquals(0, p.exitValue(), log.toString());
        assertTrue(!log.toString().contains("arrays "), "native arrays left attached:\n" + log);
        assertEquals(1 + CHUNKS / 50, rss.size(), log.toString());
        long base = rss.get(0)[1];
        long last = rss.get(rss.size() - 1)[1];
        System.out.println("RSS after warm-up " + base + " kB, after " + CHUNKS + " more chunks " + last + " kB:\n" + log);
        assertTrue(last - base < MAX_GROWTH_KB, "RSS grew by " + (last - base) + " kB over " + CHUNKS + " chunks:\n" + log);
    }
}
