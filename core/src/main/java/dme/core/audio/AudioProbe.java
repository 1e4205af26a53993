package dme.core.audio;

import java.nio.file.Path;

/** Upload validation: is this decodable audio, how long is it, which tags does it carry. */
public final class AudioProbe {
    private AudioProbe() {}

    /**
     * Opens the file and decodes its first audio (see {@link AudioReader#open}), so a file that only
     * looks like audio (text renamed .mp3, an image renamed .wav) is rejected. Format recognition reads
     * at most 5 MB / 5 s of the file, so this returns quickly for garbage of any size.
     *
     * <p>Duration: the audio stream's own duration where the container records it (exact for WAV, FLAC,
     * MP3 with a Xing/LAME header, Ogg, MP4); else the container's; else FFmpeg's estimate from the bit
     * rate (e.g. headerless MP3, ADTS AAC). Only when none of these exist is the whole file decoded to
     * count its samples.
     *
     * @return the source's format, rate, channels, duration and title/artist tags (null when absent)
     */
    public static AudioInfo probe(Path localFile) throws AudioDecodeException {
        try (AudioReader r = AudioReader.open(localFile)) {
            AudioInfo info = r.info();
            if (info.durationSeconds() > 0) {
                return info;
            }
            float[][] buf = new float[2][8192];
            long frames = 0;
            for (int n; (n = r.read(buf, 0, buf[0].length)) > 0; ) {
                frames += n;
            }
            return new AudioInfo(info.container(), info.codec(), info.sampleRate(), info.channels(),
                    frames / (double) Ffmpeg.SAMPLE_RATE, info.title(), info.artist());
        }
    }
}
