package dme.gateway;

import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.jetty.JettyServerFactory;

/** Jetty as sparkjava builds it, plus JSON error pages and a cap on form bodies; keeps the server for tuning. */
final class GatewayJettyFactory implements JettyServerFactory {
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
