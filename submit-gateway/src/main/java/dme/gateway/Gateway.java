package dme.gateway;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.embeddedserver.jetty.JettyServerFactory;

/**
 * The dme gateway: the REST API and the web page on one embedded Jetty (sparkjava). It talks to the
 * processing job only through storage, so it never needs Spark. Start one with {@link #start}; port 0
 * picks a free port (for tests), {@link #port()} tells which.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    static final String JSON = "application/json";
    /** On GET /music: ids of songs skipped because their record is damaged, comma-separated. */
    static final String DAMAGED_HEADER = "X-Dme-Damaged-Songs";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final DmeConfig config;
    private final Service http;
    private final AtomicReference<Server> jetty = new AtomicReference<>();
    private final AtomicReference<Exception> startFailure = new AtomicReference<>();
    private final UploadScratchSweeper sweeper;

    private Gateway(DmeConfig config) {
        this.config = config;
        this.http = Service.ignite();
        this.sweeper = new UploadScratchSweeper(scratchRoot(config), config.uploadScratchStaleMillis());
    }

    /** Starts a gateway on {@code dme.http.host}:{@code port} (0 = any free port) and waits until it listens. */
    public static Gateway start(DmeConfig config, int port) throws IOException {
        Gateway g = new Gateway(config);
        g.run(port);
        return g;
    }

    /** Starts a gateway on the configured {@code dme.http.port}. */
    public static Gateway start(DmeConfig config) throws IOException {
        return start(config, config.httpPort());
    }

    public int port() {
        return http.port();
    }

    public DmeConfig config() {
        return config;
    }

    /** The embedded server, for tests that check how it is set up. */
    Server jettyServer() {
        return jetty.get();
    }

    /** The folder where uploads are staged while they are validated (emptied after each request). */
    public static Path scratchRoot(DmeConfig config) {
        return config.localTmp().resolve("dme-gateway-uploads");
    }

    /** The routes as "METHOD /path/:param", for the test that checks the OpenAPI document covers them. */
    List<String> routes() {
        List<String> out = new java.util.ArrayList<>();
        for (spark.routematch.RouteMatch m : http.routes()) {
            String method = m.getHttpMethod().name().toUpperCase(java.util.Locale.ROOT);
            if (!method.equals("BEFORE") && !method.equals("AFTER") && !method.equals("AFTERAFTER")) {
                out.add(method + " " + m.getMatchUri());
            }
        }
        return out;
    }

    @Override
    public void close() {
        sweeper.close();
        http.stop();
        http.awaitStop();
    }

    private void run(int port) throws IOException {
        Storage storage = Storage.open(config.layout());
        Submissions submissions = new Submissions(storage);
        SongCatalog catalog = new SongCatalog(storage, submissions);
        JobRecords jobs = new JobRecords(storage);
        String outputFormat = config.outputFormat();
        OutputFormat.parse(outputFormat); // fail at start on a bad configuration, not on the first request
        JobHealth health = new JobHealth(storage, config.heartbeatTimeoutSeconds(), config.cancelWaitSeconds());
        ProgressReader progress = new ProgressReader(storage, submissions, jobs, outputFormat, health);
        Uploads uploads = new Uploads(config, storage, submissions, scratchRoot(config));
        ProcessRequests processing = new ProcessRequests(submissions, outputFormat);
        FileDownloads files = new FileDownloads(storage, catalog);
        TokenGuard guard = new TokenGuard(config);
        CrossSiteGuard crossSite = new CrossSiteGuard(config.allowedOrigins());
        sweeper.start();
        StaticAssets assets = new StaticAssets();

        String serverId = "dme-gateway-" + INSTANCES.incrementAndGet();
        EmbeddedServers.add(serverId, new EmbeddedJettyFactory(new GatewayJettyFactory(jetty)));
        http.embeddedServerIdentifier(serverId);
        http.ipAddress(config.httpHost());
        http.untrustForwardHeaders(); // TrustedProxies applies them, for the configured proxies only
        http.port(port);
        http.initExceptionHandler(startFailure::set);

        http.before((req, res) -> {
            res.header("X-Content-Type-Options", "nosniff");
            res.header("X-Frame-Options", "DENY");
            res.header("Referrer-Policy", "no-referrer");
            res.header("Content-Security-Policy", CSP);
            res.header("Cache-Control", "no-store");
            String origin = req.headers("Origin");
            if (crossSite.isListed(origin)) {
                // a deliberate cross-origin client may read the answers and send JSON and tokens
                res.header("Access-Control-Allow-Origin", origin);
                res.header("Vary", "Origin");
                if ("OPTIONS".equals(req.requestMethod())) {
                    res.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
                    res.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
                    res.header("Access-Control-Max-Age", "600");
                    http.halt(204);
                }
            }
            crossSite.check(req.requestMethod(), origin, req.headers("Sec-Fetch-Site"), urls(req).prefix());
        });
        http.exception(ApiException.class, (e, req, res) -> {
            res.status(e.status());
            res.type(JSON);
            if (e.status() == 401) {
                res.header("WWW-Authenticate", "Bearer realm=\"dme\"");
            }
            if (e.status() == 503) {
                res.header("Retry-After", "3");
            }
            res.body(Json.text(new ErrorBody(e.getMessage())));
        });
        http.exception(DamagedRecord.class, (e, req, res) -> {
            String errorId = ErrorIds.next();
            LOG.warn("{} {}: {} (error id {})", req.requestMethod(), MessageText.clip(req.pathInfo()), e.getMessage(), errorId);
            res.status(500);
            res.type(JSON);
            res.body(Json.text(new ErrorBody.WithId(e.getMessage() + ": DELETE the song or restore the record", errorId)));
        });
        http.exception(Exception.class, (e, req, res) -> {
            // the details (classes, storage paths) go to the log only; the client gets the id to quote
            String errorId = ErrorIds.next();
            LOG.error("{} {} failed (error id {})", req.requestMethod(), MessageText.clip(req.pathInfo()), errorId, e);
            res.status(500);
            res.type(JSON);
            res.body(Json.text(new ErrorBody.WithId("internal error (error id " + errorId
                    + "): the server could not answer this request; its log has the details", errorId)));
        });
        http.notFound((req, res) -> {
            res.type(JSON);
            return Json.text(new ErrorBody("no such endpoint: " + req.requestMethod() + " " + MessageText.clip(req.pathInfo())));
        });
        http.internalServerError((req, res) -> {
            res.type(JSON);
            return Json.text(new ErrorBody("internal error"));
        });

        // the page
        http.get("/", (req, res) -> asset(res, assets.page("index.html")));
        for (String name : List.of("app.js", "style.css", "favicon.svg")) {
            http.get("/" + name, (req, res) -> asset(res, assets.page(name)));
        }
        http.get("/openapi.yaml", (req, res) -> asset(res, assets.openApi()));
        http.get("/api", (req, res) -> asset(res, assets.apiPage()));
        http.get("/info", json((req, res) -> info(guard, health)));

        // the public API
        http.post("/music", json((req, res) -> uploads.upload(req, urls(req))));
        http.get("/music", json((req, res) -> {
            SongCatalog.Listing listing = catalog.all(urls(req));
            if (!listing.damaged().isEmpty()) {
                res.header(DAMAGED_HEADER, listing.damaged().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")));
            }
            return listing.songs();
        }));
        http.get("/music/:id", json((req, res) -> progress.progress(catalog.require(req.params(":id")), urls(req))));
        http.post("/music/:id", json((req, res) -> {
            guard.requireWrite(req.headers("Authorization"));
            SongMeta meta = catalog.require(req.params(":id"));
            return processing.request(meta.musicId(), req.raw());
        }));
        http.delete("/music/:id", json((req, res) -> {
            guard.requireWrite(req.headers("Authorization"));
            long id = SongCatalog.parseSongId(req.params(":id"));
            long at = System.currentTimeMillis();
            catalog.delete(id);
            jobs.forget(id);
            // answered once the job confirms the song's tasks stopped (bounded): its slots are free
            return Map.of("deleted", id, "stopped", health.awaitStopped(List.of(id), at));
        }));
        http.post("/music/:id/cancel", json((req, res) -> {
            guard.requireWrite(req.headers("Authorization"));
            SongMeta meta = catalog.require(req.params(":id"));
            long at = System.currentTimeMillis();
            Progress before = progress.progress(meta, urls(req));
            if (!List.of("queued", "separating", "mixing").contains(before.state())) {
                throw ApiException.conflict("song " + meta.musicId() + " has nothing queued or running to cancel (it is "
                        + before.state() + ")");
            }
            long seq = submissions.requestCancel(meta.musicId());
            boolean stopped = health.awaitStopped(List.of(meta.musicId()), at);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("music_id", meta.musicId());
            out.put("request_seq", seq);
            out.put("stopped", stopped);
            out.put("state", progress.progress(meta, urls(req)).state());
            return out;
        }));
        http.get("/music/:id/jobs", json((req, res) -> {
            SongMeta meta = catalog.require(req.params(":id"));
            List<Job> out = new java.util.ArrayList<>();
            for (dme.core.format.ChunkRecord r : jobs.chunks(meta.musicId())) {
                out.add(jobs.view(r));
            }
            return out;
        }));
        http.get("/job", json((req, res) -> jobs.jobIds()));
        http.get("/job/:id", json((req, res) -> jobs.job(req.params(":id"))));
        http.post("/reset", json((req, res) -> {
            guard.requireAdmin(req.headers("Authorization"));
            List<Long> inFlight = health.heartbeat().map(dme.core.format.JobHeartbeat::running).orElse(List.of());
            long at = catalog.reset();
            jobs.forgetAll();
            return Map.of("reset_at", at, "stopped", health.awaitStopped(inFlight, at));
        }));

        // downloads, with ranges
        http.get("/files/:id/stems/:file", files::stem);
        http.head("/files/:id/stems/:file", files::stem);
        http.get("/files/:id/mixes/:file", files::mix);
        http.head("/files/:id/mixes/:file", files::mix);
        http.get("/files/:id/archive", files::archive);
        http.get("/files/:id/original", files::original);
        http.get("/stats/:file", files::stats);
        http.head("/files/:id/original", files::original);

        http.awaitInitialization();
        if (startFailure.get() != null) {
            sweeper.close();
            throw new IOException("the gateway could not start on port " + port + ": "
                    + startFailure.get().getMessage(), startFailure.get());
        }
        Server server = jetty.get();
        if (server != null) {
            for (var c : server.getConnectors()) {
                HttpConnectionFactory f = c.getConnectionFactory(HttpConnectionFactory.class);
                if (f != null) {
                    HttpConfiguration hc = f.getHttpConfiguration();
                    hc.setSendServerVersion(false);
                    hc.setSendXPoweredBy(false);
                    // dispatch on the headers alone, so an upload that is too large (Content-Length) or
                    // unauthorised is answered before the client sends a byte of its body
                    hc.setDelayDispatchUntilContent(false);
                    hc.addCustomizer(new TrustedProxies(config.trustedProxies()));
                }
                if (c instanceof AbstractConnector ac) {
                    // silent connections (headers never finished, a stalled body, idle keep-alive) close
                    ac.setIdleTimeout(config.idleTimeoutMillis());
                }
            }
        }
        if (config.httpHostDefaulted() && "127.0.0.1".equals(config.httpHost())) {
            LOG.info("no token is configured, so the gateway listens on 127.0.0.1 only (this machine); "
                    + "set dme.http.host=0.0.0.0 (DME_HTTP_HOST) to listen on all interfaces");
        }
        LOG.info("dme gateway listening on http://{}:{}/ (storage {})", displayHost(config.httpHost()), port(), config.root());
    }

    private Map<String, Object> info(TokenGuard guard, JobHealth health) {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        java.util.Optional<dme.core.format.JobHeartbeat> beat = health.heartbeat();
        m.put("job_alive", health.alive(beat, now));
        m.put("job_heartbeat_age_s", beat.map(b -> Math.round(b.ageSeconds(now) * 10) / 10.0).orElse(null));
        m.put("job_heartbeat_timeout_s", health.timeoutSeconds());
        m.put("songs_running", beat.map(b -> b.running().size()).orElse(0));
        m.put("songs_queued", beat.map(b -> b.queued().size()).orElse(0));
        m.put("executors", beat.map(dme.core.format.JobHeartbeat::executors).orElse(0));
        m.put("max_upload_bytes", config.uploadMaxBytes());
        m.put("max_upload_seconds", config.uploadMaxSeconds());
        m.put("output_format", config.outputFormat());
        m.put("write_token_required", guard.writeProtected());
        m.put("admin_token_required", guard.adminProtected());
        m.put("tracks", SongCatalog.TRACKS);
        return m;
    }

    private static UrlBase urls(Request req) {
        return UrlBase.of(req.scheme(), req.headers("Host"));
    }

    private static Object asset(Response res, StaticAssets.Asset a) throws IOException {
        res.type(a.contentType());
        res.raw().setHeader("Cache-Control", "no-cache");
        res.raw().setContentLength(a.bytes().length);
        res.raw().getOutputStream().write(a.bytes());
        return "";
    }

    /** A route whose result is serialised with dme's JSON mapping (snake_case). */
    private static Route json(Route route) {
        return (req, res) -> {
            Object result = route.handle(req, res);
            res.type(JSON);
            return Json.text(result);
        };
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
    }

    /** Jetty as sparkjava builds it, plus JSON error pages and a cap on form bodies; keeps the server for tuning. */
    private static final class GatewayJettyFactory implements JettyServerFactory {
        private final AtomicReference<Server> holder;

        GatewayJettyFactory(AtomicReference<Server> holder) {
            this.holder = holder;
        }

        @Override
        public Server create(int maxThreads, int minThreads, int threadTimeoutMillis) {
            QueuedThreadPool pool = maxThreads > 0
                    ? new QueuedThreadPool(maxThreads, Math.max(minThreads, 1), threadTimeoutMillis > 0 ? threadTimeoutMillis : 60_000)
                    : new QueuedThreadPool();
            pool.setName("dme-gateway");
            return create(pool);
        }

        @Override
        public Server create(ThreadPool threadPool) {
            Server server = threadPool == null ? new Server() : new Server(threadPool);
            server.setErrorHandler(new JsonErrorHandler());
            // the gateway never parses form bodies; keep Jetty's parser small should anything ask
            server.setAttribute("org.eclipse.jetty.server.Request.maxFormContentSize", 64 * 1024);
            server.setAttribute("org.eclipse.jetty.server.Request.maxFormKeys", 100);
            holder.set(server);
            return server;
        }
    }
}
