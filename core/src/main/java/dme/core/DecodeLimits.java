package dme.core;

import dme.core.audio.AudioInfo;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What decoding one song may cost, checked while it decodes: a file's header and bit rate can lie
 * (a headerless MP3 whose bit rate drops, a tiny FLAC of hours of 384 kHz 7.1 silence), the samples
 * the decoder produces cannot.
 *
 * @param maxSeconds longest song, in seconds of audio ({@link DmeConfig#UPLOAD_MAX_SECONDS})
 * @param maxDecodedBytes decoded size at the source's own rate and channel count, 2 bytes per sample
 *     ({@link DmeConfig#DECODE_MAX_BYTES})
 * @param maxScratchBytes local scratch of one song ({@link DmeConfig#LOCAL_SCRATCH_MAX_BYTES})
 * @param minFreeBytes free space to leave on the scratch file system ({@link DmeConfig#LOCAL_MIN_FREE_BYTES})
 */
public record DecodeLimits(double maxSeconds, long maxDecodedBytes, long maxScratchBytes, long minFreeBytes)
        implements Serializable {
    private static final long MIB = 1L << 20;
    /** A resampled song of exactly the limit comes out a few samples longer: not a reason to fail it. */
    private static final double RESAMPLING_SLACK_SECONDS = 0.1;

    /**
     * Throws when the song so far is past a limit.
     *
     * @param outputFrames 44.1 kHz stereo frames decoded so far
     * @param sourceSamples samples decoded so far over all channels at the source's rate
     * @param scratchBytes local scratch the song uses so far
     */
    public void check(long outputFrames, int outputRate, long sourceSamples, long scratchBytes)
            throws DecodeLimitException {
        double seconds = outputFrames / (double) outputRate;
        if (seconds > maxSeconds + RESAMPLING_SLACK_SECONDS) {
            throw new DecodeLimitException(String.format(Locale.ROOT,
                    "the song is longer than the limit of %s s (%s); decoding stopped at %.1f s",
                    number(maxSeconds), DmeConfig.UPLOAD_MAX_SECONDS, seconds));
        }
        if (sourceSamples > maxDecodedBytes / 2) {
            throw new DecodeLimitException(String.format(Locale.ROOT,
                    "the song decodes to more than the limit of %d MiB of audio at its own sample rate and channel"
                            + " count (%s); decoding stopped at %.1f s",
                    maxDecodedBytes / MIB, DmeConfig.DECODE_MAX_BYTES, seconds));
        }
        if (scratchBytes > maxScratchBytes) {
            throw new DecodeLimitException(String.format(Locale.ROOT,
                    "the song needs more than the limit of %d MiB of local scratch space (%s); decoding stopped at %.1f s",
                    maxScratchBytes / MIB, DmeConfig.LOCAL_SCRATCH_MAX_BYTES, seconds));
        }
    }

    /**
     * Throws when a probed file ({@link dme.core.audio.AudioProbe#probe(java.nio.file.Path, double)}, its
     * duration measured) would pass the duration or decoded-size limit: an upload can be refused before
     * the job spends anything on it.
     */
    public void checkSource(AudioInfo info) throws DecodeLimitException {
        if (info.durationSeconds() > maxSeconds) {
            throw new DecodeLimitException(String.format(Locale.ROOT, "the song is longer than the limit of %s s (%s): %.0f s",
                    number(maxSeconds), DmeConfig.UPLOAD_MAX_SECONDS, info.durationSeconds()));
        }
        double samples = info.durationSeconds() * info.sampleRate() * Math.max(1, info.channels());
        if (samples > maxDecodedBytes / 2) {
            throw new DecodeLimitException(String.format(Locale.ROOT,
                    "the song decodes to more than the limit of %d MiB of audio at its own sample rate and channel"
                            + " count (%s): %.0f s of %d Hz %d-channel audio",
                    maxDecodedBytes / MIB, DmeConfig.DECODE_MAX_BYTES, info.durationSeconds(), info.sampleRate(),
                    info.channels()));
        }
    }

    /** Throws when the file system of {@code dir} has less than {@link #minFreeBytes} left. */
    public void checkFreeSpace(Path dir, double decodedSeconds) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < minFreeBytes) {
            throw new DecodeLimitException(String.format(Locale.ROOT,
                    "only %d MiB of local scratch space are left free, less than %d MiB (%s); decoding stopped at %.1f s",
                    free / MIB, minFreeBytes / MIB, DmeConfig.LOCAL_MIN_FREE_BYTES, decodedSeconds));
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
