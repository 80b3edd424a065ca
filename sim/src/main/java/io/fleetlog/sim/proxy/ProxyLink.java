package io.fleetlog.sim.proxy;

import io.fleetlog.edge.uplink.LinkControl;

/**
 * The edge's {@link LinkControl} played by a {@link FaultProxy} in front of the server: a cut is a
 * network failure the uplink has to find out about by itself (a silent blackhole or a reset), and a
 * restore lets traffic through again and tells the edge's own link control that the network is back
 * (so it reconnects at once rather than after its backoff). Thread-safe.
 */
public final class ProxyLink implements LinkControl {
    private final FaultProxy proxy;
    private final LinkControl edge;

    public ProxyLink(FaultProxy proxy, LinkControl edge) {
        this.proxy = proxy;
        this.edge = edge;
    }

    /** A tunnel: the connection stays open and goes silent. */
    @Override
    public void cut() {
        cut(CutMode.BLACKHOLE);
    }

    public void cut(CutMode mode) {
        proxy.cut(mode);
    }

    @Override
    public void restore() {
        proxy.restore();
        edge.restore();
    }
}
