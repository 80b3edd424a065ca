package io.fleetlog.app.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.server.api.HttpApi;
import io.fleetlog.server.api.SignalValues;
import io.fleetlog.server.api.SignalValues.Selection;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetlog export}: stored samples of one vehicle (or all) as CSV or JSON, streamed. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export stored samples as CSV or JSON.")
public final class ExportCommand implements Callable<Integer> {

    @Option(
            names = "--db",
            description = "Store to read (default: ${DEFAULT-VALUE}).",
            defaultValue = "jdbc:sqlite:data/fleetlog.db")
    String db;

    @Option(names = "--vin", description = "Only this vehicle (default: every vehicle).")
    String vin;

    @Option(names = "--from", description = "Capture time from (ISO-8601, inclusive).")
    Instant from;

    @Option(names = "--to", description = "Capture time to (ISO-8601, exclusive).")
    Instant to;

    @Option(names = "--format", description = "csv or json (default: ${DEFAULT-VALUE}).", defaultValue = "csv")
    String format;

    @Option(
            names = "--signals",
            description = "Only these signals, comma-separated names or aliases (default: every signal; "
                    + "only frames that captured one of them are written).")
    String signals;

    @Option(
            names = {"-o", "--out"},
            description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("--format '" + format + "' is not csv or json");
        }
        long fromMs = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toMs = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        // The rows layout only means no merger in this reading process (it reads chunks and rows alike):
        // the server that owns the database does the merging.
        try (SampleStore store = Stores.open(db, io.fleetlog.server.store.StoreLayout.ROWS);
                OutputStream os = out == null ? System.out : Files.newOutputStream(out)) {
            List<String> vins = vin == null ? store.vins() : List.of(vin);
            if (vin != null && !store.vins().contains(vin)) {
                throw new IllegalArgumentException("no vehicle " + vin + " in " + Stores.redact(db));
            }
            long n = format.equals("csv")
                    ? csv(store, vins, signals, fromMs, toMs, os)
                    : json(store, vins, signals, fromMs, toMs, os);
            System.err.printf("exported %,d samples of %d vehicle(s)%n", n, vins.size());
        }
        return 0;
    }

    /** One CSV has one header: every vehicle exported into it must share a catalogue. */
    private static Catalogue commonCatalogue(SampleStore store, List<String> vins) {
        Catalogue cat = vins.isEmpty() ? Catalogue.builtin() : store.catalogue(vins.get(0));
        for (String v : vins) {
            Catalogue c = store.catalogue(v);
            if (!c.hash().equals(cat.hash())) {
                throw new IllegalArgumentException("vehicles " + vins.get(0) + " (catalogue " + cat.shortId()
                        + ") and " + v + " (catalogue " + c.shortId()
                        + ") have different catalogues: export them one at a time with --vin");
            }
        }
        return cat;
    }

    private static long csv(SampleStore store, List<String> vins, String signals, long from, long to, OutputStream os)
            throws IOException {
        Selection sel = Selection.parse(commonCatalogue(store, vins), signals);
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024);
        w.write(SignalValues.csvHeader(sel));
        w.write('\n');
        long[] n = {0};
        StringBuilder line = new StringBuilder(160);
        for (String v : vins) {
            HttpApi.scanSelected(store, v, sel, from, to, Long.MAX_VALUE, s -> {
                line.setLength(0);
                SignalValues.csvLine(line, sel, v, s.seq(), s.frame());
                n[0]++;
                try {
                    w.append(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        w.flush();
        return n[0];
    }

    private static long json(SampleStore store, List<String> vins, String signals, long from, long to, OutputStream os)
            throws IOException {
        long[] n = {0};
        JsonGenerator g = new ObjectMapper().getFactory().createGenerator(os, JsonEncoding.UTF8);
        g.writeStartObject();
        for (String v : vins) {
            Selection sel = Selection.parse(store.catalogue(v), signals);
            g.writeArrayFieldStart(v);
            HttpApi.scanSelected(store, v, sel, from, to, Long.MAX_VALUE, s -> {
                n[0]++;
                HttpApi.writeSample(g, sel, s);
            });
            g.writeEndArray();
        }
        g.writeEndObject();
        g.flush();
        return n[0];
    }
}
