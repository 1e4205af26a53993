package dme.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one typed view of dme's configuration.
 *
 * <p>Values come from, lowest precedence first: the defaults below, {@code conf/dme.properties}
 * (folder from {@code -Ddme.conf.dir} or {@code DME_CONF_DIR}, else {@code ./conf}), environment
 * variables named like the key upper-cased with dots and dashes as underscores
 * ({@code dme.http.port} → {@code DME_HTTP_PORT}), and system properties of the same name. The
 * object is immutable and serializable, so the driver ships the exact configuration it resolved to
 * every executor.
 */
public final class DmeConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ROOT = "dme.root";
    public static final String HTTP_PORT = "dme.http.port";
    public static final String HTTP_HOST = "dme.http.host";
    public static final String SEPARATOR = "dme.separator";
    public static final String MODEL = "dme.model";
    public static final String CHUNK_SECONDS = "dme.chunk.seconds";
    public static final String CHUNK_OVERLAP = "dme.chunk.overlap";
    public static final String OUTPUT_FORMAT = "dme.output.format";
    public static final String MP3_BITRATE = "dme.output.mp3.bitrate";
    public static final String MP3_ENCODER = "dme.output.mp3.encoder";
    public static final String ADMIN_TOKEN = "dme.admin.token";
    public static final String WRITE_TOKEN = "dme.write.token";
    public static final String SPARK_MASTER = "dme.spark.master";
    public static final String UPLOAD_MAX_BYTES = "dme.upload.max.bytes";
    public static final String UPLOAD_MAX_SECONDS = "dme.upload.max.seconds";
    public static final String TRIGGER_SECONDS = "dme.stream.trigger.seconds";
    public static final String MAX_FILES_PER_TRIGGER = "dme.stream.max.files.per.trigger";
    public static final String PARTITIONS = "dme.job.partitions";
    public static final String LOCAL_TMP = "dme.local.tmp";
    public static final String DJL_THREADS = "dme.djl.threads";
    public static final String DJL_INTEROP_THREADS = "dme.djl.interop.threads";
    public static final String DJL_DEVICE = "dme.djl.device";
    public static final String DJL_CACHE_DIR = "dme.djl.cache.dir";
    public static final String DJL_PRECISION = "dme.djl.precision";
    public static final String DEMUCS_SEGMENT_SECONDS = "dme.demucs.segment.seconds";

    /** Every key with its default; conf/dme.properties documents the same keys. */
    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(ROOT, Paths.get("data").toAbsolutePath().toUri().toString());
        d.put(HTTP_PORT, "4567");
        d.put(HTTP_HOST, "0.0.0.0");
        d.put(SEPARATOR, "auto");
        d.put(MODEL, "");
        d.put(CHUNK_SECONDS, "10");
        d.put(CHUNK_OVERLAP, "0.25");
        d.put(OUTPUT_FORMAT, "wav");
        d.put(MP3_BITRATE, "320");
        d.put(MP3_ENCODER, "auto");
        d.put(ADMIN_TOKEN, "");
        d.put(WRITE_TOKEN, "");
        d.put(SPARK_MASTER, "local[*]");
        d.put(UPLOAD_MAX_BYTES, String.valueOf(200L * 1024 * 1024));
        d.put(UPLOAD_MAX_SECONDS, String.valueOf(2 * 3600));
        d.put(TRIGGER_SECONDS, "2");
        d.put(MAX_FILES_PER_TRIGGER, "16");
        d.put(PARTITIONS, "0");
        d.put(LOCAL_TMP, System.getProperty("java.io.tmpdir"));
        d.put(DJL_THREADS, "0");
        d.put(DJL_INTEROP_THREADS, "0");
        d.put(DJL_DEVICE, "auto");
        d.put(DJL_CACHE_DIR, "");
        d.put(DJL_PRECISION, "auto");
        d.put(DEMUCS_SEGMENT_SECONDS, "10");
        return Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;

    private DmeConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Defaults, then conf/dme.properties, then environment, then system properties. */
    public static DmeConfig load() {
        return load(confDir(), System.getenv(), System.getProperties());
    }

    static DmeConfig load(Path confDir, Map<String, String> env, Properties sys) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        Path file = confDir == null ? null : confDir.resolve("dme.properties");
        if (file != null && Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        }
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                v.put(key, fromEnv.trim());
            }
        }
        for (String key : sys.stringPropertyNames()) {
            if (key.startsWith("dme.") && !key.equals("dme.conf.dir")) {
                v.put(key, sys.getProperty(key).trim());
            }
        }
        return new DmeConfig(v);
    }

    /** Defaults plus the given values; for tests and embedded use. */
    public static DmeConfig of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        v.putAll(overrides);
        return new DmeConfig(v);
    }

    /** A copy with one value changed. */
    public DmeConfig with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new DmeConfig(v);
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Path confDir() {
        String dir = System.getProperty("dme.conf.dir", System.getenv("DME_CONF_DIR"));
        return dir != null && !dir.isBlank() ? Paths.get(dir) : Paths.get("conf");
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown configuration key " + key);
        }
        return v;
    }

    /** Every key dme knows. */
    public static java.util.Set<String> keys() {
        return DEFAULTS.keySet();
    }

    public Map<String, String> asMap() {
        return values;
    }

    private int intValue(String key, int min) {
        return (int) longValue(key, min);
    }

    private long longValue(String key, long min) {
        try {
            long v = Long.parseLong(get(key));
            if (v < min) {
                throw new IllegalArgumentException(key + " must be >= " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'");
        }
    }

    private double doubleValue(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'");
        }
    }

    private Optional<String> optional(String key) {
        String v = get(key);
        return v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** Storage root URI ({@code file:/...}, {@code hdfs://...}, {@code s3a://...}). */
    public String root() {
        return get(ROOT);
    }

    public StorageLayout layout() {
        return new StorageLayout(root());
    }

    public int httpPort() {
        return intValue(HTTP_PORT, 0);
    }

    public String httpHost() {
        return get(HTTP_HOST);
    }

    public SeparatorKind separator() {
        return SeparatorKind.parse(get(SEPARATOR));
    }

    public Optional<String> model() {
        return optional(MODEL);
    }

    public double chunkSeconds() {
        double s = doubleValue(CHUNK_SECONDS);
        if (!(s >= 0.1 && s <= 600)) {
            throw new IllegalArgumentException(CHUNK_SECONDS + " must be in [0.1, 600], got " + s);
        }
        return s;
    }

    public double chunkOverlap() {
        double o = doubleValue(CHUNK_OVERLAP);
        if (!(o >= 0 && o < 1)) {
            throw new IllegalArgumentException(CHUNK_OVERLAP + " must be in [0, 1), got " + o);
        }
        return o;
    }

    /** Output format name as configured: wav, wav-float, flac or mp3. */
    public String outputFormat() {
        return get(OUTPUT_FORMAT);
    }

    public int mp3BitrateKbps() {
        return intValue(MP3_BITRATE, 32);
    }

    /**
     * The MP3 encoder setting: {@code auto}, {@code library} or an ffmpeg program (resolved by
     * {@link dme.core.audio.Mp3Encoder#resolve}, where the encoding runs).
     */
    public String mp3Encoder() {
        return get(MP3_ENCODER);
    }

    public Optional<String> adminToken() {
        return optional(ADMIN_TOKEN);
    }

    /** Token for write endpoints; when unset, the admin token (if any) protects them too. */
    public Optional<String> writeToken() {
        return optional(WRITE_TOKEN).or(this::adminToken);
    }

    public String sparkMaster() {
        return get(SPARK_MASTER);
    }

    public long uploadMaxBytes() {
        return longValue(UPLOAD_MAX_BYTES, 1);
    }

    public long uploadMaxSeconds() {
        return longValue(UPLOAD_MAX_SECONDS, 1);
    }

    public double triggerSeconds() {
        return doubleValue(TRIGGER_SECONDS);
    }

    public int maxFilesPerTrigger() {
        return intValue(MAX_FILES_PER_TRIGGER, 1);
    }

    /** Partitions for the separation stage; 0 means the cluster's default parallelism. */
    public int partitions() {
        return intValue(PARTITIONS, 0);
    }

    public Path localTmp() {
        return Paths.get(get(LOCAL_TMP));
    }

    /** DJL intra-op threads per task; 0 derives them from the executor's cores. */
    public int djlThreads() {
        return intValue(DJL_THREADS, 0);
    }

    public int djlInteropThreads() {
        return intValue(DJL_INTEROP_THREADS, 0);
    }

    public String djlDevice() {
        return get(DJL_DEVICE);
    }

    public Optional<String> djlCacheDir() {
        return optional(DJL_CACHE_DIR);
    }

    /** Demucs number format: fp32, bf16, or auto (bf16 where the CPU has it and a load-time probe agrees). */
    public String djlPrecision() {
        return get(DJL_PRECISION);
    }

    public double demucsSegmentSeconds() {
        return doubleValue(DEMUCS_SEGMENT_SECONDS);
    }

    /** Which separator the job uses. */
    public enum SeparatorKind {
        AUTO, SPECTRAL, DEMUCS;

        static SeparatorKind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        SEPARATOR + " must be auto, spectral or demucs, got '" + s + "'");
            }
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        shown.computeIfPresent(ADMIN_TOKEN, (k, v) -> v.isEmpty() ? v : "***");
        shown.computeIfPresent(WRITE_TOKEN, (k, v) -> v.isEmpty() ? v : "***");
        return "DmeConfig" + shown;
    }
}
