package dme.job.bench;

import dme.core.audio.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Songs with known sources to score separations: the synthetic one, and the shared devset when given. */
final class Songs {
    private Songs() {}

    /** A mixture with its true sources {@code [stem][channel][n]} in dme.core.Stem order. */
    record Scored(String name, float[][] mix, float[][][] sources) {}

    static Scored synthetic(long seed, double seconds) {
        SyntheticSong s = new SyntheticSong(seed);
        float[][][] src = s.render(0, (int) Math.round(seconds * SyntheticSong.RATE));
        return new Scored("synthetic", SyntheticSong.mix(src), src);
    }

    /**
     * The songs of a devset folder ({@code songs/<name>/{mixture,drums,bass,other,vocals}.flac}), or none
     * when {@code -Dbench.devset} is not set. They are read in place and never copied.
     */
    static List<Scored> devset() throws IOException {
        List<Scored> out = new ArrayList<>();
        String dir = Bench.prop("devset", "");
        if (dir.isEmpty()) {
            return out;
        }
        Path songs = Path.of(dir).resolve("songs");
        if (!Files.isDirectory(songs)) {
            System.err.println("bench: no devset songs under " + songs + ": skipped");
            return out;
        }
        try (var list = Files.list(songs)) {
            for (Path song : list.sorted().toList()) {
                float[][] mix = TestAudio.read(song.resolve("mixture.flac"));
                float[][][] src = new float[4][][];
                String[] stems = {"drums", "bass", "other", "vocals"};
                for (int s = 0; s < 4; s++) {
                    src[s] = TestAudio.read(song.resolve(stems[s] + ".flac"));
                }
                out.add(new Scored(song.getFileName().toString(), mix, src));
            }
        }
        return out;
    }
}
