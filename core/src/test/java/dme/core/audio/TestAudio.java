package dme.core.audio;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** Signals made in the test, source files in foreign formats, and the measurements the tests assert on. */
final class TestAudio {
    static final int RATE = 44_100;

    private TestAudio() {}

    /** {@code amplitude * sin(2 pi f t)}, {@code n} samples at {@code rate}. */
    static float[] tone(double freq, double amplitude, int n, int rate) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    /** A music-like stereo signal: two tones per side plus a little noise, peaks below 0.9. */
    static float[][] music(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            x[0][i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 1234.5 * t)
                    + 0.05 * rnd.nextGaussian());
            x[1][i] = (float) (0.4 * Math.sin(2 * Math.PI * 660 * t) + 0.2 * Math.sin(2 * Math.PI * 97 * t)
                    + 0.05 * rnd.nextGaussian());
        }
        return x;
    }

    /** Amplitude of the component at {@code freq} (single-bin DFT, exact for whole-signal tones). */
    static double amplitudeAt(float[] x, double freq, int rate) {
        double re = 0;
        double im = 0;
        double w = 2 * Math.PI * freq / rate;
        for (int i = 0; i < x.length; i++) {
            re += x[i] * Math.cos(w * i);
            im += x[i] * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / x.length;
    }

    /** Frequency of a single tone from its zero crossings (interpolated between samples). */
    static double zeroCrossingFrequency(float[] x, int rate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                } else {
                    crossings++;
                }
                last = at;
            }
        }
        return crossings / ((last - first) / rate);
    }

    static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /** The lag (within +-maxLag) at which {@code y} best matches {@code x}: y[i + lag] ~ x[i]. */
    static int bestLag(float[] x, float[] y, int maxLag) {
        int best = 0;
        double bestDot = Double.NEGATIVE_INFINITY;
        int from = maxLag;
        int to = Math.min(x.length, y.length) - maxLag;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double dot = 0;
            for (int i = from; i < to; i++) {
                dot += x[i] * y[i + lag];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = lag;
            }
        }
        return best;
    }

    /** Signal-to-noise ratio in dB of {@code y} against {@code x} over [from, to), y shifted by lag. */
    static double snrDb(float[] x, float[] y, int lag, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            double d = y[i + lag] - x[i];
            signal += x[i] * (double) x[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / Math.max(noise, 1e-30));
    }

    /**
     * Writes planar {@code channels} with FFmpeg directly, in any format, rate and channel count the
     * pipeline must convert (AudioWriter only writes 44.1 kHz stereo).
     */
    static Path encode(Path file, String muxer, int codec, int sampleFormat, int rate, float[][] channels,
            int bitrate, Map<String, String> tags) throws Exception {
        Ffmpeg.init(); // quiet FFmpeg, as in production
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), channels.length)) {
            r.setFormat(muxer);
            r.setAudioCodec(codec);
            r.setSampleRate(rate);
            r.setSampleFormat(sampleFormat);
            if (bitrate > 0) {
                r.setAudioBitrate(bitrate);
            }
            if (codec == avcodec.AV_CODEC_ID_VORBIS) {
                r.setAudioOption("strict", "experimental"); // FFmpeg's own Vorbis encoder
            }
            r.setMetadata(tags);
            r.start();
            FloatBuffer[] planes = new FloatBuffer[channels.length];
            for (int c = 0; c < channels.length; c++) {
                planes[c] = FloatBuffer.wrap(channels[c]);
            }
            r.recordSamples(rate, channels.length, planes);
            r.stop();
        }
        return file;
    }

    /** A WAV of 16-bit PCM at any rate and channel count. */
    static Path wav16(Path file, int rate, float[]... channels) throws Exception {
        return encode(file, "wav", avcodec.AV_CODEC_ID_PCM_S16LE, avutil.AV_SAMPLE_FMT_S16, rate, channels, 0, Map.of());
    }

    /** Writes all of {@code x} in pieces of sizes that straddle codec frames and the writer's blocks. */
    static void writeInOddPieces(AudioWriter w, float[][] x) throws java.io.IOException {
        int[] sizes = {1, 1151, 1153, 4096, 8191, 8193};
        int n = x[0].length;
        int off = 0;
        for (int i = 0; off < n; i++) {
            int len = Math.min(sizes[i % sizes.length], n - off);
            w.write(x, off, len);
            off += len;
        }
    }
}
