package dme.job.separate.demucs;

import dme.core.SongStats;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs many chunks through the tiny model and prints this process's resident memory, for
 * {@link NativeMemoryTest} which starts it in a JVM of its own with a fixed, pre-touched heap (so
 * that resident-memory growth is native memory, not the Java heap filling up).
 *
 * <p>Output: one line {@code rss <chunks> <kB>} after the warm-up and after every 50 chunks.
 */
public final class NativeMemoryProbe {
    private NativeMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int chunks = Integer.parseInt(args[2]);
        double segmentSeconds = Double.parseDouble(args[3]);
        DemucsSeparator separator = DemucsSeparator.load(model,
                DemucsOptions.defaults().withSegmentSeconds(segmentSeconds).withDevice("cpu").withThreads(1, 1));
        float[][] chunk = DemucsFixtures.mixture(separator.segmentFrames() - 1000, 3);
        SongStats stats = new SongStats(0f, 0.2f);
        int baseline = separator.openNativeArrays();
        for (int i = 1; i <= warmup + chunks; i++) {
            separator.separate(chunk, stats);
            if (separator.openNativeArrays() != baseline) {
                System.out.println("arrays " + i + " " + separator.openNativeArrays());
            }
            if (i == warmup || (i > warmup && (i - warmup) % 50 == 0)) {
                System.out.println("rss " + (i - warmup) + " " + rssKb());
                System.out.flush();
            }
        }
    }

    /** VmRSS of this process from /proc/self/status, in kB. */
    static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
