package dme.gateway;

import java.util.Set;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Applies {@code Forwarded} / {@code X-Forwarded-*} (host, scheme, client address) only to requests
 * that come from a configured reverse proxy: from anyone else those headers are a client's claim and
 * would put a stranger's host into the URLs the API returns.
 */
final class TrustedProxies implements HttpConfiguration.Customizer {
    private final Set<String> proxies;
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    TrustedProxies(Set<String> proxies) {
        this.proxies = Set.copyOf(proxies);
    }

    @Override
    public void customize(Connector connector, HttpConfiguration channelConfig, Request request) {
        if (!proxies.isEmpty() && proxies.contains(request.getRemoteAddr())) {
            forwarded.customize(connector, channelConfig, request);
        }
    }
}
