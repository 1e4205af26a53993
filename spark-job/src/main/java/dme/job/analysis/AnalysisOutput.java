package dme.job.analysis;

import dme.core.Storage;
import dme.core.format.Json;
import dme.core.format.SongAnalysis;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses a song while its stems are stitched (the sum of the four stems is the song) and stores
 * the result as {@code songs/<id>/analysis.json}. The analysis is an extra: if it fails, the song's
 * stems and mix are published all the same and the song shows no tempo or key.
 */
public final class AnalysisOutput {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisOutput.class);

    private final long musicId;
    private MusicAnalyzer analyzer;
    private float[][] sum = new float[2][0];

    public AnalysisOutput(long musicId, int sampleRate) {
        this.musicId = musicId;
        this.analyzer = new MusicAnalyzer(sampleRate);
    }

    /** The beat grid carried on at the tempo up to {@code songSeconds} (past the analysed part). */
    static SongAnalysis extend(SongAnalysis a, double songSeconds) {
        java.util.List<Double> beats = a.beatsSeconds();
        if (a.tempoBpm() == null || beats.isEmpty() || !(a.tempoBpm() > 0)) {
            return a;
        }
        java.util.List<Double> all = new java.util.ArrayList<>(beats);
        double period = 60.0 / a.tempoBpm();
        for (double t = beats.get(beats.size() - 1) + period; t < songSeconds; t += period) {
            all.add(Math.round(t * 1000) / 1000.0);
        }
        return new SongAnalysis(a.tempoBpm(), all, a.key());
    }

    /** Adds stitched stems: planar rows, left and right of each of the four stems in turn. */
    public void accept(float[][] stemRows, int off, int len) {
        if (analyzer == null) {
            return;
        }
        try {
            if (sum[0].length < len) {
                sum = new float[2][len];
            }
            for (int c = 0; c < 2; c++) {
                float[] dst = sum[c];
                java.util.Arrays.fill(dst, 0, len, 0f);
                for (int s = c; s < stemRows.length; s += 2) {
                    float[] src = stemRows[s];
                    for (int i = 0; i < len; i++) {
                        dst[i] += src[off + i];
                    }
                }
            }
            analyzer.accept(sum, 0, len);
        } catch (RuntimeException e) {
            LOG.warn("song {} analysis failed, no tempo or key: {}", musicId, e.toString());
            analyzer = null;
        }
    }

    /** Finishes the analysis and writes it atomically; returns it (null when the analysis failed). */
    public SongAnalysis publish(Storage storage) {
        return publish(storage, 0);
    }

    /**
     * As {@link #publish(Storage)} for an analysis of the song's first part only: the beat grid is
     * carried on at the detected tempo to {@code songSeconds}, so a click covers the whole song.
     */
    public SongAnalysis publish(Storage storage, double songSeconds) {
        if (analyzer == null) {
            return null;
        }
        try {
            SongAnalysis a = extend(analyzer.finish(), songSeconds);
            storage.writeAtomically(storage.layout().analysis(musicId), Json.bytes(a));
            LOG.info("song {} analysed: {} BPM, {}", musicId, a.tempoBpm(), a.key());
            return a;
        } catch (IOException | RuntimeException e) {
            LOG.warn("song {} analysis not stored: {}", musicId, e.toString());
            return null;
        } finally {
            analyzer = null;
        }
    }
}
