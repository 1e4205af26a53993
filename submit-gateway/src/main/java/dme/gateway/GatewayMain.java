package dme.gateway;

import dme.core.DmeConfig;

/** Starts the gateway with the resolved configuration (conf/dme.properties, DME_* env, -Ddme.*). */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        DmeConfig config = DmeConfig.load();
        Gateway gateway = Gateway.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "dme-gateway-shutdown"));
        Thread.currentThread().join();
    }
}
