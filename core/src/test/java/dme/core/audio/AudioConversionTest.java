package dme.core.audio;

import static dme.core.audio.TestAudio.RATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sources in other rates, layouts, sample formats and codecs all come out as 44.1 kHz stereo float. */
class AudioConversionTest {
    @TempDir
    Path dir;

    /** A 1 kHz tone at 0.5 in every channel: rate, length, pitch and level must survive. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, muxer, codec, sample format, rate, channels, bitrate, frame-count tolerance, level tolerance
        // (LAME and other lossy coders quantise a pure tone up to ~5% low)
        "pcm8k-mono.wav,     wav,  pcm_s16le, s16,  8000,  1, 0,      1,    0.01",
        "pcm22k.wav,         wav,  pcm_s16le, s16,  22050, 2, 0,      1,    0.01",
        "pcm48k.wav,         wav,  pcm_s16le, s16,  48000, 2, 0,      1,    0.01",
        "float96k.wav,       wav,  pcm_f32le, flt,  96000, 2, 0,      1,    0.01",
        "u8.wav,             wav,  pcm_u8,    u8,   44100, 2, 0,      0,    0.01",
        "s24-48k.flac,       flac, flac,      s32,  48000, 2, 0,      1,    0.01",
        "mono48k.mp3,        mp3,  mp3,       fltp, 48000, 1, 128000, 1152, 0.04",
        "vorbis.ogg,         ogg,  vorbis,    fltp, 44100, 2, 128000, 2048, 0.04",
        "opus.opus,          opus, opus,      flt,  48000, 2, 128000, 2048, 0.04",
        "aac.m4a,            ipod, aac,       fltp, 44100, 2, 128000, 2048, 0.04",
        "aac22k-mono.m4a,    ipod, aac,       fltp, 22050, 1, 64000,  4096, 0.04",
    })
    void convertsToPipelineFormat(String name, String muxer, String codec, String sampleFormat, int rate,
            int channels, int bitrate, int tolerance, double levelTolerance) throws Exception {
        double seconds = 2.0;
        int n = (int) (rate * seconds);
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            planes[c] = TestAudio.tone(1000, 0.5, n, rate);
        }
        Path f = TestAudio.encode(dir.resolve(name), muxer, avcodec.avcodec_find_encoder_by_name(encoderOf(codec)).id(),
                avutil.av_get_sample_fmt(sampleFormat), rate, planes, bitrate, Map.of());

        float[][] y = TestAudio.read(f);
        AudioInfo info = AudioProbe.probe(f);

        assertEquals(rate, info.sampleRate(), "the source's own rate is reported");
        assertEquals(channels, info.channels(), "the source's own channel count is reported");
        assertEquals(seconds, info.durationSeconds(), 0.05, "duration");
        assertEquals(2 * RATE, y[0].length, tolerance, "frames at 44.1 kHz");
        int skip = 4096; // codec priming and resampler edges
        float[] left = java.util.Arrays.copyOfRange(y[0], skip, y[0].length - skip);
        float[] right = java.util.Arrays.copyOfRange(y[1], skip, y[1].length - skip);
        assertEquals(1000, TestAudio.zeroCrossingFrequency(left, RATE), 2, "pitch kept (resampled at the right ratio)");
        assertEquals(0.5, TestAudio.amplitudeAt(left, 1000, RATE), levelTolerance, "level kept, also for mono");
        assertEquals(0.5, TestAudio.amplitudeAt(right, 1000, RATE), levelTolerance);
    }

    private static String encoderOf(String codec) {
        return switch (codec) {
            case "mp3" -> "libmp3lame";
            case "opus" -> "libopus";
            default -> codec;
        };
    }

    /**
     * MP3s joined byte-wise (as some downloads are): the decoder switches rate and channel count mid-way.
     * Each part keeps its pitch and its place; nothing is lost at the switch.
     */
    @Test
    void formatChangesMidStream() throws Exception {
        int[] rates = {48_000, 22_050, 44_100};
        int[] channels = {2, 1, 2};
        double[] freqs = {500, 1500, 900};
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (int part = 0; part < 3; part++) {
            float[] tone = TestAudio.tone(freqs[part], 0.5, 2 * rates[part], rates[part]);
            float[][] planes = channels[part] == 1 ? new float[][] {tone} : new float[][] {tone, tone};
            Path f = TestAudio.encode(dir.resolve("part" + part + ".mp3"), "mp3", avcodec.AV_CODEC_ID_MP3,
                    avutil.AV_SAMPLE_FMT_FLTP, rates[part], planes, 128_000, Map.of());
            joined.write(java.nio.file.Files.readAllBytes(f));
        }
        Path f = java.nio.file.Files.write(dir.resolve("joined.mp3"), joined.toByteArray());

        float[][] y = TestAudio.read(f);

        assertEquals(6 * RATE, y[0].length, 0.15 * RATE, "three 2 s parts");
        for (int part = 0; part < 3; part++) {
            int centre = (int) (y[0].length * (2 * part + 1) / 6.0);
            for (int c = 0; c < 2; c++) {
                float[] middle = java.util.Arrays.copyOfRange(y[c], centre - RATE / 2, centre + RATE / 2);
                for (int other = 0; other < 3; other++) {
                    double level = TestAudio.amplitudeAt(middle, freqs[other], RATE);
                    if (other == part) {
                        assertEquals(0.5, level, 0.04, "part " + part + " channel " + c + " keeps its tone");
                    } else {
                        assertTrue(level < 0.01, "part " + part + " channel " + c + " has no " + freqs[other] + " Hz: " + level);
                    }
                }
            }
        }
    }

    @Test
    void monoIsDuplicatedAtUnityGain() throws Exception {
        float[] mono = TestAudio.tone(440, 0.5, RATE, RATE);
        float[][] y = TestAudio.read(TestAudio.wav16(dir.resolve("mono.wav"), RATE, mono));
        assertArrayEquals(y[0], y[1], "both channels carry the mono signal");
        for (int i = 0; i < mono.length; i++) {
            assertEquals(mono[i], y[0][i], 1.0 / 32768, "sample " + i + " keeps its level");
        }
    }

    /**
     * 5.1 with a different tone in each channel: FFmpeg's standard downmix, normalised. Fronts go to
     * their own side, the centre to both sides at -3 dB relative to the fronts, surrounds to their side
     * at -3 dB, the LFE is dropped, and nothing crosses to the other side.
     */
    @Test
    void surroundIsDownmixedSanely() throws Exception {
        int rate = 48_000;
        int n = rate;
        // av_channel_layout_default(6) = 5.1: FL FR FC LFE SL SR
        double[] freqs = {500, 700, 1000, 80, 1300, 1700};
        float[][] planes = new float[6][];
        for (int c = 0; c < 6; c++) {
            planes[c] = TestAudio.tone(freqs[c], 0.5, n, rate);
        }
        float[][] y = TestAudio.read(TestAudio.wav16(dir.resolve("surround.wav"), rate, planes));
        assertEquals(RATE, y[0].length, 1);
        float[] l = java.util.Arrays.copyOfRange(y[0], 0, RATE);
        float[] r = java.util.Arrays.copyOfRange(y[1], 0, RATE);

        double front = TestAudio.amplitudeAt(l, 500, RATE);
        assertEquals(front, TestAudio.amplitudeAt(r, 700, RATE), 0.005, "front right as loud as front left");
        assertEquals(0.5 / (1 + Math.sqrt(2)), front, 0.01, "normalised: fronts at 1/(1+2*0.707)");
        double centreLeft = TestAudio.amplitudeAt(l, 1000, RATE);
        double centreRight = TestAudio.amplitudeAt(r, 1000, RATE);
        assertEquals(centreLeft, centreRight, 0.005, "centre in both channels, equally");
        assertEquals(Math.sqrt(0.5), centreLeft / front, 0.03, "centre at -3 dB");
        assertEquals(Math.sqrt(0.5), TestAudio.amplitudeAt(l, 1300, RATE) / front, 0.03, "left surround at -3 dB");
        assertEquals(Math.sqrt(0.5), TestAudio.amplitudeAt(r, 1700, RATE) / front, 0.03, "right surround at -3 dB");
        for (double crossTalk : new double[] {TestAudio.amplitudeAt(l, 700, RATE), TestAudio.amplitudeAt(l, 1700, RATE),
                TestAudio.amplitudeAt(r, 500, RATE), TestAudio.amplitudeAt(r, 1300, RATE),
                TestAudio.amplitudeAt(l, 80, RATE), TestAudio.amplitudeAt(r, 80, RATE)}) {
            assertTrue(crossTalk < 0.005, "no cross-talk and no LFE: " + crossTalk);
        }
    }

    @Test
    void fullScaleSurroundDoesNotClip() throws Exception {
        float[] tone = TestAudio.tone(1000, 1.0, RATE, RATE);
        float[][] y = TestAudio.read(TestAudio.wav16(dir.resolve("loud51.wav"), RATE,
                tone, tone, tone, tone, tone, tone));
        double peak = Math.max(TestAudio.peak(y[0]), TestAudio.peak(y[1]));
        assertTrue(peak <= 1.0 && peak > 0.9, "all channels in phase at full scale reach, not exceed, full scale: " + peak);
    }

    @Test
    void quadAndStereoPlusCentreAreDownmixedToo() throws Exception {
        float[] tone = TestAudio.tone(1000, 0.5, RATE, RATE);
        for (int channels : new int[] {3, 4, 8}) {
            float[][] planes = new float[channels][];
            java.util.Arrays.fill(planes, tone);
            float[][] y = TestAudio.read(TestAudio.wav16(dir.resolve("ch" + channels + ".wav"), RATE, planes));
            assertEquals(RATE, y[0].length, channels + " channels: length");
            double level = TestAudio.amplitudeAt(y[0], 1000, RATE);
            assertTrue(level > 0.2 && level <= 0.5 + 1e-3, channels + " channels: level " + level);
            assertEquals(level, TestAudio.amplitudeAt(y[1], 1000, RATE), 0.01, channels + " channels: balanced");
        }
    }
}
