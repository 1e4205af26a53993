package dme.core.audio;

import org.bytedeco.ffmpeg.global.avutil;

/** Process-wide FFmpeg set-up: errors only in the log (FFmpeg is chatty on stderr otherwise). */
final class Ffmpeg {
    /** Pipeline audio: 44.1 kHz stereo float. */
    static final int SAMPLE_RATE = 44_100;
    static final int CHANNELS = 2;

    private static volatile boolean initialised;

    private Ffmpeg() {}

    static void init() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    avutil.av_log_set_level(avutil.AV_LOG_FATAL);
                    initialised = true;
                }
            }
        }
    }
}
