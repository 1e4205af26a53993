package dme.job.separate.spectral;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.job.separate.Separator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Development tool (not a test): scores the spectral separator on a devset folder
 * ({@code songs/<name>/{mixture,drums,bass,other,vocals}.flac}, read in place, never copied) with
 * the project's SDR (shared/devset/sdr.py: 10·log10(Σref² + 1e-7) / (Σ(ref − est)² + 1e-7) over the
 * whole song, both channels), running it as the job does: 10 s chunks, 25 % overlap, stitched by
 * {@link OverlapAddStitcher}.
 *
 * <pre>
 * DevsetCrossValidation DEVSET table          per-song, per-stem SDR of {@link Tuning#DEFAULT}
 * DevsetCrossValidation DEVSET compare SPEC...  mean per stem over all songs for each override
 *                                             SPEC (name=value,...; "-" for the starting point)
 * DevsetCrossValidation DEVSET cv [ROUNDS]    3-fold cross-validation of a coordinate search over
 *                                             {@link #GRID}: tune on 8 songs, score the 4 held out
 * </pre>
 * System properties: {@code -Dcv.threads=1} songs scored in parallel, {@code -Dcv.tuneSeconds=30}
 * how much of each training song the search scores (held-out songs are always scored whole),
 * {@code -Dcv.set=name=value,...} overrides of the starting point (e.g. to score one idea), and
 * {@code -Dcv.params=name,...} which parameters the search moves (default: all of {@link #GRID}), and
 * {@code -Dcv.recorded=d,b,o,v} the synthetic band's recorded figures whose floors the search
 * respects (default: {@link SyntheticBand#RECORDED_DB}; a recorded run names the ones it used, as
 * raising them moves the search).
 *
 * <p>Folds: the songs sorted by name, song i in fold i mod 3. The search maximises the training
 * songs' mean SDR minus the mean shortfall of stems under their mixture/4 baseline (the goal asks
 * for every stem above it).
 */
public final class DevsetCrossValidation {
    static final String[] STEMS = {"drums", "bass", "other", "vocals"};
    static final int FOLDS = 3;

    /** Candidate values per parameter for the coordinate search (the default is always tried too). */
    static final Map<String, double[]> GRID = new LinkedHashMap<>();

    static {
        GRID.put("spectralPrior", new double[] {0, 0.25, 0.5, 0.75});
        GRID.put("repeatShare", new double[] {0, 0.25, 0.5, 0.75});
        GRID.put("lowFreqMedian", new double[] {5, 7, 9, 11, 17});
        GRID.put("lowFreqMedianHz", new double[] {200, 300, 500});
        GRID.put("spatialMaxHz", new double[] {0, 4000, 8000});
        GRID.put("shortHpWeight", new double[] {0, 0.25, 0.5, 0.75, 1});
        GRID.put("shortHpSplitHz", new double[] {150, 200, 300, 500});
        GRID.put("shortHpMode", new double[] {0, 2});
        GRID.put("kickShare", new double[] {0, 0.25, 0.5, 0.75, 1});
        GRID.put("vocalCombDepth", new double[] {0, 0.5, 1});
        GRID.put("vocalCombMaxHz", new double[] {2000, 4000, 8000});
        GRID.put("bassCombGain", new double[] {0, 0.25, 0.5, 0.75});
        GRID.put("otherWeight", new double[] {1.0, 1.15, 1.3, 1.5});
        GRID.put("hpPower", new double[] {1, 2});
        GRID.put("vocalOnsetShare", new double[] {0.1, 0.3, 0.5, 0.7, 0.9});
        GRID.put("centrePower", new double[] {8, 16, 32});
        GRID.put("bassNoneHz", new double[] {150, 200, 280});
        GRID.put("voiceInHz", new double[] {120, 150, 200});
        GRID.put("cymbalFromHz", new double[] {1000, 1500, 2000, 3000, 4500});
        GRID.put("bassCombDepth", new double[] {0, 0.5});
        GRID.put("voiceOutHz", new double[] {6000, 10000});
        GRID.put("cymbalFullHz", new double[] {6000, 10000});
        GRID.put("mixtureFloor", new double[] {0, 0.05, 0.1, 0.15});
    }

    /** Ideas scored once on their own and dropped (see docs/QUALITY.md), not searched by default. */
    static final Map<String, double[]> DROPPED = Map.of(
            "lowTimeMedian", new double[] {5, 9},
            "bassCentrePower", new double[] {2, 8},
            "drumCentrePower", new double[] {1, 2},
            "maskPower", new double[] {0.5, 1.5, 2},
            "spatialIterations", new double[] {1},
            "panOtherShare", new double[] {0.5, 1},
            "vocalGate", new double[] {0.1, 0.3},
            "vocalCombOnsetDepth", new double[] {0.5, 1},
            "shortHpLowWeight", new double[] {0.25, 0.5});

    record Song(String name, float[][] mixture, float[][][] stems, double[] baseline) {}

    private final List<Song> songs;
    private final int tuneFrames;
    private final ExecutorService pool;
    private final Map<Tuning, double[][]> cacheTune = new HashMap<>();
    private final Map<Tuning, double[][]> cacheFull = new HashMap<>();

    DevsetCrossValidation(List<Song> songs, double tuneSeconds, int threads) {
        this.songs = songs;
        this.tuneFrames = (int) Math.round(tuneSeconds * PcmFormat.SAMPLE_RATE);
        this.pool = Executors.newFixedThreadPool(threads);
    }

    public static void main(String[] args) throws Exception {
        Path devset = Paths.get(args.length > 0 ? args[0] : "../shared/devset");
        String mode = args.length > 1 ? args[1] : "table";
        int rounds = args.length > 2 && mode.equals("cv") ? Integer.parseInt(args[2]) : 1;
        List<Song> songs = load(devset.resolve("songs"));
        Map<String, double[]> oracle = oracle(devset.resolve("sdr_reference.txt"));
        DevsetCrossValidation cv = new DevsetCrossValidation(songs,
                Double.parseDouble(System.getProperty("cv.tuneSeconds", "30")),
                Integer.getInteger("cv.threads", 1));
        Tuning start = override(Tuning.DEFAULT, System.getProperty("cv.set", ""));
        try {
            if (mode.equals("cv")) {
                cv.crossValidate(start, rounds, oracle);
            } else if (mode.equals("compare")) {
                for (int a = 2; a < args.length; a++) {
                    Tuning t = override(start, args[a].equals("-") ? "" : args[a]);
                    double[][] s = cv.score(t, true);
                    double[] mean = new double[4];
                    double worst = Double.POSITIVE_INFINITY;
                    String worstAt = "";
                    for (int i = 0; i < s.length; i++) {
                        for (int k = 0; k < 4; k++) {
                            mean[k] += s[i][k] / s.length;
                            if (s[i][k] - songs.get(i).baseline[k] < worst) {
                                worst = s[i][k] - songs.get(i).baseline[k];
                                worstAt = songs.get(i).name + " " + STEMS[k];
                            }
                        }
                    }
                    System.out.printf("%-50s %6.2f %6.2f %6.2f %6.2f | %6.3f | worst %s %+.2f%n", args[a], mean[0],
                            mean[1], mean[2], mean[3], (mean[0] + mean[1] + mean[2] + mean[3]) / 4, worstAt, worst);
                }
            } else {
                System.out.println("tuning: " + start);
                long t0 = System.nanoTime();
                double[][] s = cv.score(start, true);
                double secs = (System.nanoTime() - t0) / 1e9;
                cv.printTable("all songs, " + start, allSongs(songs.size()), s, oracle);
                System.out.printf("scored in %.1f s wall%n", secs);
            }
        } finally {
            cv.pool.shutdownNow();
        }
    }

    private static int[] allSongs(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    static List<Song> load(Path songsDir) throws IOException {
        List<Song> out = new ArrayList<>();
        try (var dirs = Files.list(songsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                float[][] mix = TestAudio.read(dir.resolve("mixture.flac"));
                float[][][] stems = new float[4][][];
                double[] baseline = new double[4];
                for (int s = 0; s < 4; s++) {
                    stems[s] = TestAudio.read(dir.resolve(STEMS[s] + ".flac"));
                    baseline[s] = sdr(stems[s], mix, 0.25f, mix[0].length);
                }
                out.add(new Song(dir.getFileName().toString(), mix, stems, baseline));
            }
        }
        System.out.printf("loaded %d songs%n", out.size());
        return out;
    }

    /** Oracle IRM rows of sdr_reference.txt, per song: drums, bass, other, vocals. */
    static Map<String, double[]> oracle(Path reference) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        if (!Files.exists(reference)) {
            return out;
        }
        for (String line : Files.readAllLines(reference)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 8 && f[1].equals("oracle") && !out.containsKey(f[0])) {
                out.put(f[0], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6])});
            }
        }
        return out;
    }

    /** SDR of {@code gain * estimate} against {@code reference} over the first {@code n} samples. */
    static double sdr(float[][] reference, float[][] estimate, float gain, int n) {
        double num = 1e-7;
        double den = 1e-7;
        for (int c = 0; c < 2; c++) {
            float[] r = reference[c];
            float[] e = estimate[c];
            for (int i = 0; i < n; i++) {
                double x = r[i];
                double d = x - gain * (double) e[i];
                num += x * x;
                den += d * d;
            }
        }
        return 10 * Math.log10(num / den);
    }

    /** Per song, per stem SDR of a tuning (whole songs, or the first tuneSeconds of each). */
    double[][] score(Tuning tuning, boolean whole) throws Exception {
        Map<Tuning, double[][]> cache = whole ? cacheFull : cacheTune;
        double[][] cached = cache.get(tuning);
        if (cached != null) {
            return cached;
        }
        SpectralSeparator sep = new SpectralSeparator(PcmFormat.SAMPLE_RATE, tuning);
        List<Future<double[]>> parts = new ArrayList<>();
        for (Song song : songs) {
            int n = whole ? song.mixture[0].length : Math.min(tuneFrames, song.mixture[0].length);
            parts.add(pool.submit(() -> separateAndScore(sep, song, n)));
        }
        double[][] out = new double[songs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = parts.get(i).get();
        }
        cache.put(tuning, out);
        if (whole && tuneFrames >= songs.get(0).mixture[0].length) {
            cacheTune.put(tuning, out);
        }
        return out;
    }

    private static double[] separateAndScore(SpectralSeparator sep, Song song, int n) {
        ChunkPlan plan = ChunkPlan.of(n, 10, 0.25, PcmFormat.SAMPLE_RATE);
        float[][] rows = new float[8][n];
        try {
            OverlapAddStitcher stitcher = OverlapAddStitcher.into(plan, rows);
            for (int k = 0; k < plan.chunkCount(); k++) {
                int o = (int) plan.offset(k);
                int len = plan.length(k);
                float[][] chunk = {Arrays.copyOfRange(song.mixture[0], o, o + len),
                    Arrays.copyOfRange(song.mixture[1], o, o + len)};
                stitcher.add(k, Separator.rows(sep.separate(chunk, SongStats.IDENTITY)));
            }
            stitcher.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] out = new double[4];
        for (int s = 0; s < 4; s++) {
            out[s] = sdr(song.stems[s], new float[][] {rows[2 * s], rows[2 * s + 1]}, 1f, n);
        }
        return out;
    }

    /** Mean SDR over songs and stems minus the mean shortfall under the mixture/4 baseline. */
    double objective(double[][] scores, int[] which, boolean whole) {
        double sum = 0;
        double shortfall = 0;
        for (int i : which) {
            Song song = songs.get(i);
            double[] base = whole ? song.baseline : baseline(song, Math.min(tuneFrames, song.mixture[0].length));
            for (int s = 0; s < 4; s++) {
                sum += scores[i][s];
                shortfall += Math.max(0, base[s] + 0.3 - scores[i][s]);
            }
        }
        return (sum - shortfall) / (4.0 * which.length);
    }

    private final Map<String, double[]> excerptBaselines = new HashMap<>();

    private double[] baseline(Song song, int n) {
        if (n == song.mixture[0].length) {
            return song.baseline;
        }
        return excerptBaselines.computeIfAbsent(song.name, k -> {
            double[] b = new double[4];
            for (int s = 0; s < 4; s++) {
                b[s] = sdr(song.stems[s], song.mixture, 0.25f, n);
            }
            return b;
        });
    }

    private static final double[] RECORDED = recorded(System.getProperty("cv.recorded", ""));
    private final Map<Tuning, Double> cacheFloors = new HashMap<>();

    private static double[] recorded(String spec) {
        if (spec.isBlank()) {
            return SyntheticBand.RECORDED_DB.clone();
        }
        double[] r = Arrays.stream(spec.split(",")).mapToDouble(Double::parseDouble).toArray();
        if (r.length != 4) {
            throw new IllegalArgumentException("cv.recorded: four figures (drums, bass, other, vocals) expected");
        }
        return r;
    }
    private SyntheticBand band;

    /**
     * How far (dB, summed over stems) a tuning falls under the regression test's floors on its
     * synthetic band. The search never moves further under them: a tuning the test refuses cannot
     * become the default. (The v2 start is under the drums and bass floors, so "not further" rather than "none".)
     */
    synchronized double floorShortfall(Tuning t) {
        if (band == null) {
            band = SyntheticBand.make(10, 42);
        }
        return cacheFloors.computeIfAbsent(t, tuning -> {
            float[][][] est = new SpectralSeparator(PcmFormat.SAMPLE_RATE, tuning).separate(band.mixture,
                    SongStats.IDENTITY);
            double shortfall = 0;
            for (int s = 0; s < 4; s++) {
                shortfall += Math.max(0, SyntheticBand.floor(RECORDED, s) - SyntheticBand.sdr(band.stems[s], est[s]));
            }
            return shortfall;
        });
    }

    /** Coordinate search on the training songs: each parameter in turn takes its best grid value. */
    Tuning search(Tuning start, int[] train, int rounds, List<String> params) throws Exception {
        boolean whole = tuneFrames >= songs.get(0).mixture[0].length;
        Tuning best = start;
        double bestScore = objective(score(best, whole), train, whole);
        for (int r = 0; r < rounds; r++) {
            boolean moved = false;
            for (String p : params) {
                for (double v : GRID.getOrDefault(p, DROPPED.get(p))) {
                    Tuning t;
                    try {
                        t = with(best, p, v);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (t.equals(best)) {
                        continue;
                    }
                    if (floorShortfall(t) > floorShortfall(best) + 1e-9) {
                        System.out.printf("    %s=%s is further under the synthetic band's floors%n", p, v);
                        continue;
                    }
                    double sc = objective(score(t, whole), train, whole);
                    if (sc > bestScore + 1e-3) {
                        bestScore = sc;
                        best = t;
                        moved = true;
                        System.out.printf("    %s=%s -> %.3f%n", p, v, sc);
                    }
                }
            }
            if (!moved) {
                break;
            }
        }
        return best;
    }

    void crossValidate(Tuning start, int rounds, Map<String, double[]> oracle) throws Exception {
        List<String> params = new ArrayList<>(GRID.keySet());
        String only = System.getProperty("cv.params", "");
        if (!only.isBlank()) {
            params = Arrays.asList(only.split(","));
        }
        int n = songs.size();
        double[][] heldOut = new double[n][];
        double[][] before = score(start, true);
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Integer> test = new ArrayList<>();
            List<Integer> train = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (i % FOLDS == fold ? test : train).add(i);
            }
            int[] trainIdx = train.stream().mapToInt(Integer::intValue).toArray();
            System.out.printf("fold %d: held out %s%n", fold,
                    test.stream().map(i -> songs.get(i).name).toList());
            Tuning tuned = search(start, trainIdx, rounds, params);
            System.out.printf("fold %d tuned: %s%n", fold, tuned);
            double[][] full = score(tuned, true);
            for (int i : test) {
                heldOut[i] = full[i];
            }
        }
        printTable("starting point (" + start + "), all songs", allSongs(n), before, oracle);
        printTable("cross-validated: each song scored by the tuning chosen without it", allSongs(n), heldOut, oracle);
    }

    void printTable(String title, int[] which, double[][] scores, Map<String, double[]> oracle) {
        System.out.println("== " + title);
        System.out.printf("%-20s %-10s %7s %7s %7s %7s %7s%n", "song", "method", "drums", "bass", "other", "vocals",
                "mean");
        double[] sum = new double[4];
        double[] baseSum = new double[4];
        double[] oracleSum = new double[4];
        double worst = Double.POSITIVE_INFINITY;
        String worstAt = "";
        for (int i : which) {
            Song song = songs.get(i);
            row(song.name, "separator", scores[i]);
            row(song.name, "mixture/4", song.baseline);
            double[] o = oracle.get(song.name);
            if (o != null) {
                row(song.name, "oracle IRM", o);
            }
            for (int s = 0; s < 4; s++) {
                sum[s] += scores[i][s];
                baseSum[s] += song.baseline[s];
                oracleSum[s] += o == null ? Double.NaN : o[s];
                double margin = scores[i][s] - song.baseline[s];
                if (margin < worst) {
                    worst = margin;
                    worstAt = song.name + " " + STEMS[s];
                }
            }
        }
        for (int s = 0; s < 4; s++) {
            sum[s] /= which.length;
            baseSum[s] /= which.length;
            oracleSum[s] /= which.length;
        }
        row("MEAN", "separator", sum);
        row("MEAN", "mixture/4", baseSum);
        row("MEAN", "oracle IRM", oracleSum);
        System.out.printf("worst stem vs mixture/4: %s %+.2f dB%n", worstAt, worst);
    }

    private static void row(String song, String method, double[] v) {
        System.out.printf("%-20s %-10s %7.2f %7.2f %7.2f %7.2f %7.2f%n", song, method, v[0], v[1], v[2], v[3],
                (v[0] + v[1] + v[2] + v[3]) / 4);
    }

    /** A copy of {@code t} with one component set (ints and floats are converted). */
    static Tuning with(Tuning t, String name, double value) {
        try {
            RecordComponent[] comps = Tuning.class.getRecordComponents();
            Object[] values = new Object[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            boolean found = false;
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                values[i] = comps[i].getAccessor().invoke(t);
                if (comps[i].getName().equals(name)) {
                    found = true;
                    values[i] = types[i] == int.class ? (Object) (int) Math.round(value)
                            : types[i] == float.class ? (Object) (float) value : (Object) value;
                }
            }
            if (!found) {
                throw new IllegalStateException("no tuning parameter " + name);
            }
            return Tuning.class.getDeclaredConstructor(types).newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tuning override(Tuning t, String spec) {
        for (String kv : spec.split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            String[] p = kv.split("=");
            t = with(t, p[0].trim(), Double.parseDouble(p[1].trim()));
        }
        return t;
    }
}
