package dme.core.audio;

import java.nio.file.Path;

/** Upload validation: is this decodable audio, how long, which tags. */
public final class AudioProbe {
    private AudioProbe() {}

    /**
     * Opens the file and decodes its first samples, so a file that only looks like audio (a text
     * renamed .mp3, an image renamed .wav) is rejected. Duration comes from the container; when the
     * container does not know it the whole file is decoded to count the samples.
     */
    public static AudioInfo probe(Path localFile) throws AudioDecodeException {
        try (AudioReader r = AudioReader.open(localFile)) {
            float[][] buf = new float[2][4096];
            int first = r.read(buf, 0, buf[0].length);
            if (first <= 0) {
                throw new AudioDecodeException(localFile.getFileName() + " holds no decodable audio samples");
            }
            AudioInfo info = r.info();
            if (info.durationSeconds() > 0) {
                return info;
            }
            long frames = first;
            for (int n; (n = r.read(buf, 0, buf[0].length)) > 0; ) {
                frames += n;
            }
            return new AudioInfo(info.container(), info.codec(), info.sampleRate(), info.channels(),
                    frames / (double) Ffmpeg.SAMPLE_RATE, info.title(), info.artist());
        }
    }
}
