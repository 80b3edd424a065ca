package io.fleetlog.server.fleet;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.api.SignalValues;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleTotals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet as the server sees it: one {@link VehicleStatus} per VIN plus the store's registry and
 * totals, rendered as the {@code VehicleState} JSON object of docs/api.md. Thread-safe.
 */
public final class Fleet {
    private final SampleStore store;
    private final Map<String, Catalogue> catalogues = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, VehicleStatus> statuses = new ConcurrentHashMap<>();

    public Fleet(SampleStore store) {
        this.store = store;
    }

    public VehicleStatus status(String vin) {
        return statuses.computeIfAbsent(vin, VehicleStatus::new);
    }

    public Collection<VehicleStatus> statuses() {
        return statuses.values();
    }

    /** VINs known to the store or seen by this server, sorted. */
    public List<String> vins() {
        TreeSet<String> all = new TreeSet<>(store.vins());
        all.addAll(statuses.keySet());
        return new ArrayList<>(all);
    }

    public boolean knows(String vin) {
        return statuses.containsKey(vin) || store.vehicle(vin).isPresent();
    }

    public List<Map<String, Object>> states() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String vin : vins()) {
            out.add(state(vin));
        }
        return out;
    }

    /** The VehicleState JSON object of {@code vin}. */
    public Map<String, Object> state(String vin) {
        Vehicle v = store.vehicle(vin).orElse(new Vehicle(vin, null, null));
        VehicleTotals t = store.totals(vin);
        VehicleStatus s = status(vin);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vin", vin);
        m.put("name", v.name() != null ? v.name() : vin);
        m.put("model", v.model());
        m.put("lastSeq", t.lastSeq());
        m.put("samplesStored", t.samples());
        m.put("lastCaptureMs", t.lastCaptureMs() >= 0 ? t.lastCaptureMs() : null);
        m.put("catalogue", catalogue(vin).shortId());
        m.put("latest", values(catalogue(vin), s.latest()));
        s.describe(m);
        return m;
    }

    /** Signal name → value (docs/api.md: null when unavailable), or null without a sample. */
    public static Map<String, Object> values(Catalogue cat, Sample s) {
        if (s == null) {
            return null;
        }
        return SignalValues.values(SignalValues.Selection.all(cat), s.frame());
    }

    /** The catalogue of {@code vin}'s frames (cached; {@link #catalogueChanged} after a Hello). */
    public Catalogue catalogue(String vin) {
        return catalogues.computeIfAbsent(vin, store::catalogue);
    }

    /** Forgets the cached catalogue of {@code vin} (its edge named another one). */
    public void catalogueChanged(String vin) {
        catalogues.remove(vin);
    }

    /** Compression statistics over all vehicles, as /status shows them (per signal name). */
    public Map<String, Object> compression() {
        SignalStats all = SignalStats.EMPTY;
        for (VehicleStatus s : statuses.values()) {
            all = all.plus(s.compressionStats());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", all.frames());
        m.put("batches", all.batches());
        m.put("bytes", all.bytes());
        m.put("bytesPerFrame", VehicleStatus.round2(all.bytesPerFrame()));
        m.put("omittedShare", Math.round(all.omittedShare() * 10_000) / 10_000.0);
        Map<String, Object> signals = new LinkedHashMap<>();
        all.perSignal()
                .forEach((name, c) -> signals.put(name, Map.of("sent", c[0], "omitted", c[1], "unavailable", c[2])));
        m.put("signals", signals);
        return m;
    }
}
