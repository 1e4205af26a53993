package dme.core.audio;

/**
 * The one audio format inside dme: every file is decoded to, separated, stitched and mixed at 44.1 kHz
 * stereo float (the rate the Demucs models are trained at), and encoded from it.
 */
public final class PcmFormat {
    public static final int SAMPLE_RATE = 44_100;
    public static final int CHANNELS = 2;

    private PcmFormat() {}

    /** Seconds of {@code frames} frames at {@link #SAMPLE_RATE}. */
    public static double seconds(long frames) {
        return frames / (double) SAMPLE_RATE;
    }
}
