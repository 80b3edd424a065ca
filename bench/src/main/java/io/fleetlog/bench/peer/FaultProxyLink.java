package io.fleetlog.bench.peer;

import io.fleetlog.sim.proxy.CutMode;
import io.fleetlog.sim.proxy.FaultProxy;
import java.io.IOException;

/**
 * The {@link Link} of both stacks: fleetlog's {@link FaultProxy} on 127.0.0.1 in front of the
 * receiving side (Mosquitto, or fleetlog's server). A dead zone is {@link CutMode#RESET} — every
 * connection reset, new ones refused — so both stacks notice it at once and neither depends on its
 * keep-alive or heartbeat timing; bytes are the TCP payload the proxy forwards.
 */
final class FaultProxyLink implements Link {

    private final FaultProxy proxy;

    FaultProxyLink(int upstreamPort) throws IOException {
        this.proxy = FaultProxy.start("127.0.0.1", upstreamPort);
    }

    @Override
    public int port() {
        return proxy.port();
    }

    @Override
    public void cut() {
        proxy.cut(CutMode.RESET);
    }

    @Override
    public void restore() {
        proxy.restore();
    }

    @Override
    public long bytesUp() {
        return proxy.bytesUpstream();
    }

    @Override
    public long bytesDown() {
        return proxy.bytesDownstream();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
