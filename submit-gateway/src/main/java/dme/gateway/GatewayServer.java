package dme.gateway;

import dme.core.DmeConfig;
import dme.core.format.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.routematch.RouteMatch;

/**
 * The embedded Jetty under sparkjava, apart from the routes: listen address and port, thread pool,
 * connector tuning, and the JSON answers for errors. Jetty starts with the first route
 * {@link Routes#install} maps; {@link #awaitStarted} waits until it listens.
 */
final class GatewayServer {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DmeConfig config;
    private final Service http = Service.ignite();
    private final AtomicReference<Server> jetty = new AtomicReference<>();
    private final AtomicReference<Exception> startFailure = new AtomicReference<>();

    GatewayServer(DmeConfig config, int port) {
        this.config = config;
        String serverId = "dme-gateway-" + INSTANCES.incrementAndGet();
        EmbeddedServers.add(serverId, new EmbeddedJettyFactory(new GatewayJettyFactory(jetty)));
        http.embeddedServerIdentifier(serverId);
        http.ipAddress(config.httpHost());
        http.untrustForwardHeaders(); // TrustedProxies applies them, for the configured proxies only
        http.port(port);
        http.initExceptionHandler(startFailure::set);
        errorAnswers();
    }

    Service http() {
        return http;
    }

    int port() {
        return http.port();
    }

    /** The embedded server, for tests that check how it is set up. */
    Server jetty() {
        return jetty.get();
    }

    /** Waits until Jetty listens (or failed to), then tunes its connectors. */
    void awaitStarted(int port) throws IOException {
        http.awaitInitialization();
        if (startFailure.get() != null) {
            throw new IOException("the gateway could not start on port " + port + ": "
                    + startFailure.get().getMessage(), startFailure.get());
        }
        Server server = jetty.get();
        if (server != null) {
            for (Connector c : server.getConnectors()) {
                tune(c);
            }
        }
        if (config.httpHostDefaulted() && "127.0.0.1".equals(config.httpHost())) {
            LOG.info("no token is configured, so the gateway listens on 127.0.0.1 only (this machine); "
                    + "set dme.http.host=0.0.0.0 (DME_HTTP_HOST) to listen on all interfaces");
        }
        LOG.info("dme gateway listening on http://{}:{}/ (storage {})", displayHost(config.httpHost()), port(), config.root());
    }

    /** The routes as "METHOD /path/:param" (filters left out). */
    List<String> routes() {
        List<String> out = new ArrayList<>();
        for (RouteMatch m : http.routes()) {
            String method = m.getHttpMethod().name().toUpperCase(Locale.ROOT);
            if (!method.equals("BEFORE") && !method.equals("AFTER") && !method.equals("AFTERAFTER")) {
                out.add(method + " " + m.getMatchUri());
            }
        }
        return out;
    }

    void stop() {
        http.stop();
        http.awaitStop();
    }

    private void tune(Connector c) {
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

    /** Every failure answers JSON; details (classes, storage paths) go to the log, the client gets an id to quote. */
    private void errorAnswers() {
        http.exception(ApiException.class, (e, req, res) -> {
            res.status(e.status());
            res.type(Routes.JSON);
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
            res.type(Routes.JSON);
            res.body(Json.text(new ErrorBody.WithId(e.getMessage() + ": DELETE the song or restore the record", errorId)));
        });
        http.exception(Exception.class, (e, req, res) -> {
            String errorId = ErrorIds.next();
            LOG.error("{} {} failed (error id {})", req.requestMethod(), MessageText.clip(req.pathInfo()), errorId, e);
            res.status(500);
            res.type(Routes.JSON);
            res.body(Json.text(new ErrorBody.WithId("internal error (error id " + errorId
                    + "): the server could not answer this request; its log has the details", errorId)));
        });
        http.notFound((req, res) -> {
            res.type(Routes.JSON);
            return Json.text(new ErrorBody("no such endpoint: " + req.requestMethod() + " " + MessageText.clip(req.pathInfo())));
        });
        http.internalServerError((req, res) -> {
            res.type(Routes.JSON);
            return Json.text(new ErrorBody("internal error"));
        });
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
    }
}
