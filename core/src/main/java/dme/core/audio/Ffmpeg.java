package dme.core.audio;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide FFmpeg set-up. FFmpeg reports every damaged MP3 frame on stderr; those lines carry no
 * file name and our exceptions already say what failed, so errors go to the {@code dme.core.audio.ffmpeg}
 * logger at DEBUG (turn it on to see FFmpeg's own words) and anything below ERROR is never formatted.
 */
final class Ffmpeg {

    private static final Logger FFMPEG_LOG = LoggerFactory.getLogger("dme.core.audio.ffmpeg");

    /** Held for the life of the process: FFmpeg keeps a native pointer to it. */
    private static final LogCallback TO_SLF4J = new LogCallback() {
        @Override
        public void call(int level, BytePointer msg) {
            if (FFMPEG_LOG.isDebugEnabled()) {
                FFMPEG_LOG.debug(msg.getString().stripTrailing());
            }
        }
    }.retainReference();

    private static volatile boolean initialised;

    private Ffmpeg() {}

    /** FFmpeg's text for a negative error code, e.g. "Invalid data found when processing input". */
    static String errorText(int code) {
        byte[] buf = new byte[256];
        if (avutil.av_strerror(code, buf, buf.length) < 0) {
            return "FFmpeg error " + code;
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    static void init() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                    avutil.setLogCallback(TO_SLF4J);
                    initialised = true;
                }
            }
        }
    }
}
