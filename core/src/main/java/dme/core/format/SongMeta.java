package dme.core.format;

/**
 * What the gateway stores next to an upload ({@code songs/<id>/meta.json}).
 *
 * @param originalFile file name of the original under the song folder, e.g. {@code original.mp3}
 * @param submittedAt epoch milliseconds
 */
public record SongMeta(
        long musicId,
        String name,
        String band,
        String originalFile,
        long sizeBytes,
        double durationSeconds,
        int sampleRate,
        int channels,
        String codec,
        long submittedAt) implements java.io.Serializable {}
