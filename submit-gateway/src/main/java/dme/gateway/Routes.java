package dme.gateway;

import static dme.gateway.Routes.Access.ADMIN;
import static dme.gateway.Routes.Access.ANYONE;
import static dme.gateway.Routes.Access.WRITER;
import static dme.gateway.Routes.Method.DELETE;
import static dme.gateway.Routes.Method.GET;
import static dme.gateway.Routes.Method.HEAD;
import static dme.gateway.Routes.Method.POST;

import dme.core.format.ChunkRecord;
import dme.core.format.Json;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;

/**
 * Every route of the gateway in one table: method, path, who may call it, and what answers. The
 * browser policy runs before each; see {@code openapi.yaml} for the contract.
 */
final class Routes {
    static final String JSON = "application/json";
    /** On GET /music: ids of songs skipped because their record is damaged, comma-separated. */
    static final String DAMAGED_HEADER = "X-Dme-Damaged-Songs";

    enum Method { GET, POST, DELETE, HEAD }

    /** Who may call a route: anyone, a holder of the write (or admin) token, or of the admin token. */
    enum Access { ANYONE, WRITER, ADMIN }

    /** One row of the table; the handler answers JSON, a page asset or a file download by itself. */
    record Endpoint(Method method, String path, Access access, Route handler) {}

    /** What the routes answer with, built once by the gateway. */
    record Handlers(StaticAssets assets, ServerInfo info, Uploads uploads, SongCatalog catalog, ProgressReader progress,
            ProcessRequests processing, SongActions actions, JobRecords jobs, FileDownloads files) {}

    private final Handlers h;
    private final TokenGuard guard;
    private final BrowserPolicy browser;

    Routes(Handlers handlers, TokenGuard guard, BrowserPolicy browser) {
        this.h = handlers;
        this.guard = guard;
        this.browser = browser;
    }

    List<Endpoint> table() {
        FileDownloads files = h.files();
        List<Endpoint> t = new ArrayList<>();
        // the page
        t.add(new Endpoint(GET, "/", ANYONE, (req, res) -> asset(res, h.assets().page("index.html"))));
        for (String name : List.of("app.js", "style.css", "favicon.svg")) {
            t.add(new Endpoint(GET, "/" + name, ANYONE, (req, res) -> asset(res, h.assets().page(name))));
        }
        t.add(new Endpoint(GET, "/openapi.yaml", ANYONE, (req, res) -> asset(res, h.assets().openApi())));
        t.add(new Endpoint(GET, "/api", ANYONE, (req, res) -> asset(res, h.assets().apiPage())));
        t.add(json(GET, "/info", ANYONE, (req, res) -> h.info().now()));

        // the public API
        t.add(json(POST, "/music", ANYONE, (req, res) -> h.uploads().upload(req, UrlBase.of(req))));
        t.add(json(GET, "/music", ANYONE, this::songs));
        t.add(json(GET, "/music/:id", ANYONE, (req, res) -> h.progress().progress(song(req), UrlBase.of(req))));
        t.add(json(POST, "/music/:id", WRITER, (req, res) -> h.processing().request(song(req).musicId(), req.raw())));
        t.add(json(DELETE, "/music/:id", WRITER, (req, res) -> h.actions().delete(req.params(":id"))));
        t.add(json(POST, "/music/:id/cancel", WRITER, (req, res) -> h.actions().cancel(req.params(":id"), UrlBase.of(req))));
        t.add(json(GET, "/music/:id/jobs", ANYONE, this::songJobs));
        t.add(json(GET, "/job", ANYONE, (req, res) -> h.jobs().jobIds()));
        t.add(json(GET, "/job/:id", ANYONE, (req, res) -> h.jobs().job(req.params(":id"))));
        t.add(json(POST, "/reset", ADMIN, (req, res) -> h.actions().reset()));

        // downloads, with ranges
        t.add(new Endpoint(GET, "/files/:id/stems/:file", ANYONE, files::stem));
        t.add(new Endpoint(HEAD, "/files/:id/stems/:file", ANYONE, files::stem));
        t.add(new Endpoint(GET, "/files/:id/mixes/:file", ANYONE, files::mix));
        t.add(new Endpoint(HEAD, "/files/:id/mixes/:file", ANYONE, files::mix));
        t.add(new Endpoint(GET, "/files/:id/archive", ANYONE, files::archive));
        t.add(new Endpoint(GET, "/files/:id/original", ANYONE, files::original));
        t.add(new Endpoint(GET, "/stats/:file", ANYONE, files::stats));
        t.add(new Endpoint(HEAD, "/files/:id/original", ANYONE, files::original));
        return t;
    }

    /** Registers the browser policy and every route of the table, each behind its token check. */
    void install(Service http) {
        http.before((req, res) -> {
            if (browser.apply(req, res)) {
                throw http.halt(204);
            }
        });
        for (Endpoint e : table()) {
            Route guarded = guarded(e.access(), e.handler());
            switch (e.method()) {
                case GET -> http.get(e.path(), guarded);
                case POST -> http.post(e.path(), guarded);
                case DELETE -> http.delete(e.path(), guarded);
                case HEAD -> http.head(e.path(), guarded);
            }
        }
    }

    /** The token check comes first: an unauthorised client learns nothing, not even whether a song exists. */
    private Route guarded(Access access, Route route) {
        if (access == ANYONE) {
            return route;
        }
        return (req, res) -> {
            String authorization = req.headers("Authorization");
            if (access == ADMIN) {
                guard.requireAdmin(authorization);
            } else {
                guard.requireWrite(authorization);
            }
            return route.handle(req, res);
        };
    }

    /** A route whose result is serialised with dme's JSON mapping (snake_case). */
    private static Endpoint json(Method method, String path, Access access, Route route) {
        return new Endpoint(method, path, access, (req, res) -> {
            Object result = route.handle(req, res);
            res.type(JSON);
            return Json.text(result);
        });
    }

    private SongMeta song(Request req) throws IOException {
        return h.catalog().require(req.params(":id"));
    }

    private Object songs(Request req, Response res) throws IOException {
        SongCatalog.Listing listing = h.catalog().all(UrlBase.of(req));
        if (!listing.damaged().isEmpty()) {
            res.header(DAMAGED_HEADER, listing.damaged().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return listing.songs();
    }

    private Object songJobs(Request req, Response res) throws IOException {
        List<Job> out = new ArrayList<>();
        for (ChunkRecord r : h.jobs().chunks(song(req).musicId())) {
            out.add(h.jobs().view(r));
        }
        return out;
    }

    private static Object asset(Response res, StaticAssets.Asset a) throws IOException {
        res.type(a.contentType());
        res.raw().setHeader("Cache-Control", "no-cache");
        res.raw().setContentLength(a.bytes().length);
        res.raw().getOutputStream().write(a.bytes());
        return "";
    }
}
