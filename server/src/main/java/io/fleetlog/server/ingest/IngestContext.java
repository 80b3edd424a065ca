package io.fleetlog.server.ingest;

import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.catalog.Catalogues;
import io.fleetlog.server.fleet.Fleet;
import io.fleetlog.server.live.LiveHub;
import io.fleetlog.server.store.SampleStore;
import java.time.InstantSource;

/** What every ingest connection of a server shares ({@code catalogues}: null = the built-in one only). */
public record IngestContext(
        ServerConfig.Limits limits,
        TokenStore tokens,
        SampleStore store,
        Fleet fleet,
        LiveHub live,
        IngestMetrics metrics,
        InstantSource clock,
        Catalogues catalogues) {

    public IngestContext {
        catalogues = catalogues == null ? Catalogues.builtinOnly() : catalogues;
    }
}
