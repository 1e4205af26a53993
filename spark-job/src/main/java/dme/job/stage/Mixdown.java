package dme.job.stage;

import dme.core.audio.AudioReader;
import dme.core.audio.AudioWriter;
import dme.core.audio.Mp3Encoder;
import dme.core.audio.OutputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one mixing rule of dme: an output file is Σ gain·source over its sources, sample by sample,
 * streamed in blocks (nothing holds a whole song). Every stem file and every mix is rendered here
 * from the lossless masters; a stem file is the mix of one master at gain 1.
 */
final class Mixdown {
    private static final int BLOCK = 16_384;

    private Mixdown() {}

    /** One input of a mix: a local audio file and its gain. */
    record Source(Path file, float gain) {}

    /** Where and how a mix is written. */
    record Target(Path file, OutputFormat format, int mp3Kbps, Mp3Encoder mp3Encoder) {}

    /**
     * Writes Σ gain·source to the target; the result is as long as the longest source (shorter ones
     * count as silence past their end).
     */
    static void render(List<Source> sources, Target target) throws IOException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a mix needs at least one source");
        }
        List<AudioReader> readers = new ArrayList<>();
        try {
            for (Source s : sources) {
                readers.add(AudioReader.open(s.file()));
            }
            try (AudioWriter out = AudioWriter.open(target.file(), target.format(), target.mp3Kbps(), Map.of(),
                    target.mp3Encoder())) {
                float[][] sum = new float[2][BLOCK];
                float[][] buf = new float[2][BLOCK];
                while (true) {
                    int n = 0;
                    Arrays.fill(sum[0], 0f);
                    Arrays.fill(sum[1], 0f);
                    for (int k = 0; k < readers.size(); k++) {
                        int got = readFully(readers.get(k), buf, BLOCK);
                        n = Math.max(n, got);
                        float g = sources.get(k).gain();
                        for (int c = 0; c < 2; c++) {
                            float[] src = buf[c];
                            float[] dst = sum[c];
                            for (int i = 0; i < got; i++) {
                                dst[i] += g * src[i];
                            }
                        }
                    }
                    if (n == 0) {
                        break;
                    }
                    out.write(sum, 0, n);
                }
            }
        } finally {
            for (AudioReader r : readers) {
                r.close();
            }
        }
    }

    private static int readFully(AudioReader r, float[][] buf, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = r.read(buf, total, len - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
