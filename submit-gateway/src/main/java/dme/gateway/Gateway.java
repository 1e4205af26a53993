package dme.gateway;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Server;

/**
 * The dme gateway: the REST API and the web page on one embedded Jetty (sparkjava). It talks to the
 * processing job only through storage, so it never needs Spark. Start one with {@link #start}; port 0
 * picks a free port (for tests), {@link #port()} tells which.
 *
 * <p>Here the parts are built and wired; {@link Routes} declares what answers which request and
 * {@link GatewayServer} how the server is set up.
 */
public final class Gateway implements AutoCloseable {
    private final DmeConfig config;
    private final GatewayServer server;
    private final UploadScratchSweeper sweeper;

    private Gateway(DmeConfig config, int port) {
        this.config = config;
        this.server = new GatewayServer(config, port);
        this.sweeper = new UploadScratchSweeper(scratchRoot(config), config.uploadScratchStaleMillis());
    }

    /** Starts a gateway on {@code dme.http.host}:{@code port} (0 = any free port) and waits until it listens. */
    public static Gateway start(DmeConfig config, int port) throws IOException {
        Gateway g = new Gateway(config, port);
        g.run(port);
        return g;
    }

    /** Starts a gateway on the configured {@code dme.http.port}. */
    public static Gateway start(DmeConfig config) throws IOException {
        return start(config, config.httpPort());
    }

    public int port() {
        return server.port();
    }

    public DmeConfig config() {
        return config;
    }

    /** The embedded server, for tests that check how it is set up. */
    Server jettyServer() {
        return server.jetty();
    }

    /** The folder where uploads are staged while they are validated (emptied after each request). */
    public static Path scratchRoot(DmeConfig config) {
        return config.localTmp().resolve("dme-gateway-uploads");
    }

    /** The routes as "METHOD /path/:param", for the test that checks the OpenAPI document covers them. */
    List<String> routes() {
        return server.routes();
    }

    @Override
    public void close() {
        sweeper.close();
        server.stop();
    }

    private void run(int port) throws IOException {
        Storage storage = Storage.open(config.layout());
        String outputFormat = config.outputFormat();
        OutputFormat.parse(outputFormat); // fail at start on a bad configuration, not on the first request
        // one instance for the whole gateway: it serialises the writes of the reset marker
        Submissions submissions = new Submissions(storage);
        SongCatalog catalog = new SongCatalog(storage, submissions);
        JobRecords jobs = new JobRecords(storage);
        JobHealth health = new JobHealth(storage, config.heartbeatTimeoutSeconds(), config.cancelWaitSeconds());
        ProgressReader progress = new ProgressReader(storage, submissions, jobs, outputFormat, health);
        TokenGuard guard = new TokenGuard(config);
        Routes.Handlers handlers = new Routes.Handlers(new StaticAssets(), new ServerInfo(config, guard, health),
                new Uploads(config, storage, submissions, scratchRoot(config)), catalog, progress,
                new ProcessRequests(submissions, outputFormat), new SongActions(catalog, submissions, jobs, health, progress),
                jobs, new FileDownloads(storage, catalog));
        Routes routes = new Routes(handlers, guard, new BrowserPolicy(new CrossSiteGuard(config.allowedOrigins())));
        sweeper.start();
        routes.install(server.http());
        try {
            server.awaitStarted(port);
        } catch (IOException e) {
            sweeper.close();
            throw e;
        }
    }
}
