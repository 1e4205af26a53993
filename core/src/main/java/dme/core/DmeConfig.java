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
    public static final String ALLOWED_ORIGINS = "dme.http.allowed.origins";
    public static final String TRUSTED_PROXIES = "dme.http.trusted.proxies";
    public static final String IDLE_TIMEOUT_SECONDS = "dme.http.idle.timeout.seconds";
    public static final String UPLOAD_MAX_CONCURRENT = "dme.upload.max.concurrent";
    public static final String UPLOAD_MIN_BYTES_PER_SECOND = "dme.upload.min.bytes.per.second";
    public static final String UPLOAD_SCRATCH_STALE_SECONDS = "dme.upload.scratch.stale.seconds";
    public static final String SEPARATOR = "dme.separator";
    public static final String SEPARATOR_CLASS = "dme.separator.class";
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
    public static final String LOCAL_TMP = "dme.local.tmp";
    public static final String DJL_THREADS = "dme.djl.threads";
    public static final String DJL_INTEROP_THREADS = "dme.djl.interop.threads";
    public static final String DJL_DEVICE = "dme.djl.device";
    public static final String DJL_CACHE_DIR = "dme.djl.cache.dir";
    public static final String DJL_PRECISION = "dme.djl.precision";
    public static final String DJL_GRAPH_OPTIMIZER = "dme.djl.graph.optimizer";
    public static final String DEMUCS_SEGMENT_SECONDS = "dme.demucs.segment.seconds";
    public static final String MAX_SONGS_IN_FLIGHT = "dme.job.max.songs.in.flight";
    public static final String TABLES_ENABLED = "dme.tables.enabled";
    public static final String HEARTBEAT_SECONDS = "dme.job.heartbeat.seconds";
    public static final String HEARTBEAT_TIMEOUT_SECONDS = "dme.job.heartbeat.timeout.seconds";
    public static final String CANCEL_WAIT_SECONDS = "dme.http.cancel.wait.seconds";
    public static final String DECODE_MAX_BYTES = "dme.decode.max.bytes";
    public static final String LOCAL_SCRATCH_MAX_BYTES = "dme.local.scratch.max.bytes";
    public static final String LOCAL_MIN_FREE_BYTES = "dme.local.min.free.bytes";
    public static final String SCRATCH_MAX_AGE_SECONDS = "dme.scratch.max.age.seconds";

    /** Every key with its default; conf/dme.properties documents the same keys. */
    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(ROOT, Paths.get("data").toAbsolutePath().toUri().toString());
        d.put(HTTP_PORT, "4567");
        d.put(HTTP_HOST, "");
        d.put(ALLOWED_ORIGINS, "");
        d.put(TRUSTED_PROXIES, "");
        d.put(IDLE_TIMEOUT_SECONDS, "30");
        d.put(UPLOAD_MAX_CONCURRENT, "32");
        d.put(UPLOAD_MIN_BYTES_PER_SECOND, "4096");
        d.put(UPLOAD_SCRATCH_STALE_SECONDS, "3600");
        d.put(SEPARATOR, "auto");
        d.put(SEPARATOR_CLASS, "");
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
        d.put(TRIGGER_SECONDS, "0.25");
        d.put(MAX_FILES_PER_TRIGGER, "16");
        d.put(LOCAL_TMP, System.getProperty("java.io.tmpdir"));
        d.put(DJL_THREADS, "0");
        d.put(DJL_INTEROP_THREADS, "0");
        d.put(DJL_DEVICE, "auto");
        d.put(DJL_CACHE_DIR, "");
        d.put(DJL_PRECISION, "auto");
        d.put(DJL_GRAPH_OPTIMIZER, "false");
        d.put(DEMUCS_SEGMENT_SECONDS, "10");
        d.put(MAX_SONGS_IN_FLIGHT, "4");
        d.put(TABLES_ENABLED, "true");
        d.put(HEARTBEAT_SECONDS, "2");
        d.put(HEARTBEAT_TIMEOUT_SECONDS, "10");
        d.put(CANCEL_WAIT_SECONDS, "2");
        d.put(DECODE_MAX_BYTES, String.valueOf(6L << 30));
        d.put(LOCAL_SCRATCH_MAX_BYTES, String.valueOf(4L << 30));
        d.put(LOCAL_MIN_FREE_BYTES, String.valueOf(256L << 20));
        d.put(SCRATCH_MAX_AGE_SECONDS, String.valueOf(24 * 3600));
        return Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;

    private DmeConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Prints the resolved value of each key given, one a line: scripts ask this class, never parse the file. */
    public static void main(String[] keys) {
        DmeConfig config = load();
        for (String key : keys) {
            System.out.println(config.get(key));
        }
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

    /** Every setting with its value, defaults included. */
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

    private boolean booleanValue(String key) {
        String v = get(key).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + get(key) + "'");
        }
        return v.equals("true");
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

    /**
     * The address the gateway listens on: as configured, else loopback (127.0.0.1) while no token
     * protects the write endpoints, all interfaces (0.0.0.0) once one does.
     */
    public String httpHost() {
        String configured = get(HTTP_HOST);
        if (!configured.isBlank()) {
            return configured;
        }
        return adminToken().isPresent() || writeToken().isPresent() ? "0.0.0.0" : "127.0.0.1";
    }

    /** Whether {@link #httpHost()} was chosen by dme (no explicit {@code dme.http.host}). */
    public boolean httpHostDefaulted() {
        return get(HTTP_HOST).isBlank();
    }

    /**
     * Origins (scheme://host[:port]) of other sites whose pages may call the write endpoints, beside
     * the gateway's own; lower-cased, without a trailing slash.
     */
    public java.util.Set<String> allowedOrigins() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String o : list(ALLOWED_ORIGINS)) {
            String n = o.toLowerCase(Locale.ROOT);
            out.add(n.endsWith("/") ? n.substring(0, n.length() - 1) : n);
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** Addresses of reverse proxies whose Forwarded / X-Forwarded-* headers are believed. */
    public java.util.Set<String> trustedProxies() {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(list(TRUSTED_PROXIES)));
    }

    /** How long a connection may stay silent (headers, body, keep-alive) before the server closes it. */
    public long idleTimeoutMillis() {
        return longValue(IDLE_TIMEOUT_SECONDS, 1) * 1000;
    }

    /**
     * Uploads received at once; more are answered 503 at once. Each holds a server thread (of 200)
     * while its body arrives, so the rest stay free for reads however many clients upload slowly.
     */
    public int uploadMaxConcurrent() {
        return intValue(UPLOAD_MAX_CONCURRENT, 1);
    }

    /** An upload slower than this on average is cut off (0 = no minimum). */
    public long uploadMinBytesPerSecond() {
        return longValue(UPLOAD_MIN_BYTES_PER_SECOND, 0);
    }

    /** A partial upload left in the gateway's scratch this long after its last write is removed. */
    public long uploadScratchStaleMillis() {
        return longValue(UPLOAD_SCRATCH_STALE_SECONDS, 1) * 1000;
    }

    private java.util.List<String> list(String key) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : get(key).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    public SeparatorKind separator() {
        return SeparatorKind.parse(get(SEPARATOR));
    }

    /**
     * A separator class to use instead of {@link #separator()} (a public no-argument constructor,
     * on the executors' class path): for experiments and tests; empty in normal use.
     */
    public Optional<String> separatorClass() {
        return optional(SEPARATOR_CLASS);
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

    /** Output format name as configured: wav, wav24, wav-float, flac or mp3. */
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

    /** The longest song: refused at upload, and the job stops decoding a song past it. */
    public long uploadMaxSeconds() {
        return longValue(UPLOAD_MAX_SECONDS, 1);
    }

    /**
     * Decoded size one song may reach: its samples at its own rate and channel count, 2 bytes each
     * (the size of its 16-bit WAV). Stops decompression bombs that the duration limit lets through.
     */
    public long decodeMaxBytes() {
        return longValue(DECODE_MAX_BYTES, 1);
    }

    /** Local scratch one song's decoding may use: its 44.1 kHz stereo float copy and a copy of the original. */
    public long localScratchMaxBytes() {
        return longValue(LOCAL_SCRATCH_MAX_BYTES, 1);
    }

    /** Free space decoding leaves on the file system of {@link #localTmp()}. */
    public long localMinFreeBytes() {
        return longValue(LOCAL_MIN_FREE_BYTES, 0);
    }

    /** The limits the job's decoder enforces while it decodes a song. */
    public DecodeLimits decodeLimits() {
        return new DecodeLimits(uploadMaxSeconds(), decodeMaxBytes(), localScratchMaxBytes(),
                localMinFreeBytes());
    }

    /** Scratch (storage {@code _tmp/}, the job's local files) unchanged for longer than this is a crash leftover. */
    public long scratchMaxAgeSeconds() {
        return longValue(SCRATCH_MAX_AGE_SECONDS, 1);
    }

    public double triggerSeconds() {
        return doubleValue(TRIGGER_SECONDS);
    }

    public int maxFilesPerTrigger() {
        return intValue(MAX_FILES_PER_TRIGGER, 1);
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

    /** Whether TorchScript's graph executor optimises the Demucs graph (see conf/dme.properties). */
    public boolean djlGraphOptimizer() {
        return booleanValue(DJL_GRAPH_OPTIMIZER);
    }

    public double demucsSegmentSeconds() {
        return doubleValue(DEMUCS_SEGMENT_SECONDS);
    }

    /** Songs that share the executors at once; later ones wait in arrival order. */
    public int maxSongsInFlight() {
        return intValue(MAX_SONGS_IN_FLIGHT, 1);
    }

    /**
     * Whether the job records its {@code jobs} and {@code songs} tables and job pictures; off for a
     * command-line run into a scratch store that is deleted afterwards.
     */
    public boolean tablesEnabled() {
        return booleanValue(TABLES_ENABLED);
    }

    /** How often the job rewrites its heartbeat. */
    public double heartbeatSeconds() {
        double v = doubleValue(HEARTBEAT_SECONDS);
        if (!(v > 0)) {
            throw new IllegalArgumentException(HEARTBEAT_SECONDS + " must be > 0, got " + v);
        }
        return v;
    }

    /** A heartbeat older than this means the job is down. */
    public double heartbeatTimeoutSeconds() {
        double v = doubleValue(HEARTBEAT_TIMEOUT_SECONDS);
        if (!(v > heartbeatSeconds())) {
            throw new IllegalArgumentException(HEARTBEAT_TIMEOUT_SECONDS + " must exceed " + HEARTBEAT_SECONDS);
        }
        return v;
    }

    /** How long cancel, delete and reset wait for the job to confirm that the song's work stopped. */
    public double cancelWaitSeconds() {
        double v = doubleValue(CANCEL_WAIT_SECONDS);
        if (!(v >= 0)) {
            throw new IllegalArgumentException(CANCEL_WAIT_SECONDS + " must be >= 0, got " + v);
        }
        return v;
    }

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
