package dme.job.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dme.core.audio.TestAudio;
import dme.core.format.SongAnalysis;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Development tool (not a test), run by scripts/bench-analysis.sh: analyses every devset mixture listed
 * in its manifest (read in place) and prints a Markdown report of tempo and key accuracy against the
 * manifest's {@code tempo_bpm} and {@code key_estimate}, with both key profiles.
 *
 * <p>Tempo: within 2 % (this project's target), MIREX Accuracy 1 (within 4 %) and Accuracy 2 (within
 * 4 % of the tempo or of its double, half, triple or third). Key: the MIREX categories (same, fifth,
 * relative, parallel, other) and its weighted score 1 / 0.5 / 0.3 / 0.2 / 0.
 */
public final class DevsetAnalysisEval {
    private DevsetAnalysisEval() {}

    public static void main(String[] args) throws Exception {
        Path devset = Paths.get(args.length > 0 ? args[0] : "/work/shared/devset");
        JsonNode manifest = new ObjectMapper().readTree(devset.resolve("manifest.json").toFile());
        StringBuilder rows = new StringBuilder();
        int songs = 0;
        int within2 = 0;
        int acc1 = 0;
        int acc2 = 0;
        Map<KeyEstimator.Profile, Map<MusicalKey.Relation, Integer>> keys = new EnumMap<>(KeyEstimator.Profile.class);
        for (KeyEstimator.Profile p : KeyEstimator.Profile.values()) {
            keys.put(p, new EnumMap<>(MusicalKey.Relation.class));
        }
        double seconds = 0;
        double cpuSeconds = 0; // this thread's CPU: what a shared machine's load does not inflate
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double audioSeconds = 0;
        for (JsonNode song : manifest.get("songs")) {
            String name = song.get("name").asText();
            double trueBpm = song.get("tempo_bpm").asDouble();
            MusicalKey trueKey = MusicalKey.parse(song.get("key_estimate").asText());
            float[][] mix = TestAudio.read(devset.resolve("songs").resolve(name).resolve("mixture.flac"));
            audioSeconds += mix[0].length / 44_100.0;
            StringBuilder keyCells = new StringBuilder();
            SongAnalysis first = null;
            for (KeyEstimator.Profile p : KeyEstimator.Profile.values()) {
                long t0 = System.nanoTime();
                long c0 = threads.getCurrentThreadCpuTime();
                MusicAnalyzer a = new MusicAnalyzer(44_100, p);
                a.accept(mix, 0, mix[0].length);
                SongAnalysis r = a.finish();
                if (first == null) {
                    first = r;
                    seconds += (System.nanoTime() - t0) / 1e9;
                    cpuSeconds += (threads.getCurrentThreadCpuTime() - c0) / 1e9;
                }
                MusicalKey.Relation rel = r.key() == null ? MusicalKey.Relation.OTHER : MusicalKey.parse(r.key()).relationTo(trueKey);
                keys.get(p).merge(rel, 1, Integer::sum);
                keyCells.append(String.format(Locale.ROOT, " | %s (%s)", r.key(), rel.name().toLowerCase(Locale.ROOT)));
            }
            double bpm = first.tempoBpm() == null ? Double.NaN : first.tempoBpm();
            double err = Math.abs(bpm / trueBpm - 1);
            songs++;
            within2 += err <= 0.02 ? 1 : 0;
            acc1 += err <= 0.04 ? 1 : 0;
            boolean octave = false;
            for (double f : new double[] {1, 2, 0.5, 3, 1.0 / 3}) {
                octave |= Math.abs(bpm / (trueBpm * f) - 1) <= 0.04;
            }
            acc2 += octave ? 1 : 0;
            rows.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.2f | %d | %s%s |%n", name, trueBpm, bpm, bpm / trueBpm,
                    first.beatsSeconds().size(), trueKey.name(), keyCells));
        }
        StringBuilder out = new StringBuilder();
        out.append("| song | true BPM | detected | ratio | beats | true key | key (Krumhansl) | key (Temperley) |\n");
        out.append("|---|---|---|---|---|---|---|---|\n").append(rows).append('\n');
        out.append(String.format(Locale.ROOT, "Tempo on %d songs: within 2 %%: %d; MIREX Accuracy 1 (4 %%): %d; Accuracy 2 (octave errors allowed): %d.%n%n",
                songs, within2, acc1, acc2));
        for (var e : keys.entrySet()) {
            Map<MusicalKey.Relation, Integer> k = e.getValue();
            double weighted = (k.getOrDefault(MusicalKey.Relation.SAME, 0) + 0.5 * k.getOrDefault(MusicalKey.Relation.FIFTH, 0)
                    + 0.3 * k.getOrDefault(MusicalKey.Relation.RELATIVE, 0) + 0.2 * k.getOrDefault(MusicalKey.Relation.PARALLEL, 0)) / songs;
            out.append(String.format(Locale.ROOT, "Key, %s profile%s: correct %d, fifth %d, relative %d, parallel %d, other %d; MIREX weighted score %.2f.%n%n",
                    e.getKey().name().toLowerCase(Locale.ROOT), e.getKey() == KeyEstimator.Profile.TEMPERLEY ? " (the default)" : "",
                    k.getOrDefault(MusicalKey.Relation.SAME, 0), k.getOrDefault(MusicalKey.Relation.FIFTH, 0),
                    k.getOrDefault(MusicalKey.Relation.RELATIVE, 0), k.getOrDefault(MusicalKey.Relation.PARALLEL, 0),
                    k.getOrDefault(MusicalKey.Relation.OTHER, 0), weighted));
        }
        out.append(String.format(Locale.ROOT, "Analysis time: %.1f s for %.0f s of audio (%.0fx real time, one thread); "
                + "CPU %.1f s (%.0fx real time per core).%n", seconds, audioSeconds, audioSeconds / seconds, cpuSeconds,
                audioSeconds / cpuSeconds));
        System.out.print(out);
    }
}
