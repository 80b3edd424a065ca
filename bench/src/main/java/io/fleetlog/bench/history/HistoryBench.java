package io.fleetlog.bench.history;

import io.fleetlog.bench.server.ServerBench;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.FleetServer;
import io.fleetlog.server.ServerConfig;
import io.fleetlog.server.api.CsvWriter;
import io.fleetlog.server.api.SignalValues;
import io.fleetlog.server.api.SignalValues.Selection;
import io.fleetlog.server.auth.TokenStore;
import io.fleetlog.server.store.SampleStore;
import io.fleetlog.server.store.Stores;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * History at one car's scale, side by side on SQLite and PostgreSQL: one car's {@code hours} of
 * 8-signal frames at {@code hz} loaded with the store's append in batches of {@code batch} (rollups
 * maintained in the same transactions), then, through a real server on 127.0.0.1 and a real HTTP
 * client:
 *
 * <ol>
 *   <li>the whole range charted with {@code /series?points=P} over the 8 signals (cold first request,
 *       then the median and worst of {@code repeat});
 *   <li>one hour of raw frames as CSV from {@code /samples}, frames/s received (median of {@code
 *       repeat}, the count checked);
 *   <li>rollup bytes per stored frame: PostgreSQL {@code pg_total_relation_size} of every rollup
 *       partition (indexes and TOAST included) after VACUUM; SQLite the pages of the rollup tables
 *       ({@code dbstat}).
 * </ol>
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.fleetlog.bench.history.HistoryBench
 * [--hours 24] [--hz 50] [--batch 50000] [--points 2000] [--repeat 5] [--pg JDBC_URL|none]}.
 */
public final class HistoryBench {
    static final long T0 = 1_764_115_200_000L; // 2025-11-26T00:00Z: a day is one day partition
    static final Catalogue CATALOGUE = Catalogue.builtin();
    static final String[] SIGNALS = {
        "VehicleSpeed", "Power", "Soc", "GpsHeading", "Odometer", "Elevation", "PedalPosition", "Gear"
    };
    static final String VIN = Vin.withCheckDigit("5YJ3E1EA0KH000001");

    private final Map<String, String> opts;
    private final PrintStream out;

    HistoryBench(Map<String, String> opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        quiet();
        new HistoryBench(options(args), System.out).run();
        System.exit(0);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    static void quiet() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    long opt(String name, long def) {
        return Long.parseLong(opts.getOrDefault(name, Long.toString(def)));
    }

    /** Runs everything and returns the rows (also printed as a table). */
    List<String[]> run() throws Exception {
        double hours = Double.parseDouble(opts.getOrDefault("hours", "24"));
        int hz = (int) opt("hz", 50);
        int batch = (int) opt("batch", 50_000);
        int points = (int) opt("points", 2000);
        int repeat = (int) opt("repeat", 5);
        long frames = Math.round(hours * 3600 * hz);
        String pg = opts.getOrDefault(
                "pg",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=hbench_"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
        out.printf(
                Locale.ROOT,
                "fleetlog history benchmark: one car, %.2f h at %d Hz = %,d frames of %d signals, batches of %d;"
                        + " /series points=%d, %d repeats; %d cores, load average %.1f at start%n",
                hours,
                hz,
                frames,
                SIGNALS.length,
                batch,
                points,
                repeat,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        Path dir = Files.createTempDirectory("fleetlog-history");
        List<String> stores = new ArrayList<>(List.of("jdbc:sqlite:" + dir.resolve("history.db")));
        if (!pg.equals("none")) {
            stores.add(pg);
        }
        List<String[]> rows = new ArrayList<>();
        for (String db : stores) {
            String kind = db.startsWith("jdbc:sqlite") ? "sqlite" : "postgresql";
            try {
                rows.addAll(runOne(db, kind, frames, hz, batch, points, repeat));
            } finally {
                if (kind.equals("postgresql")) {
                    ServerBench.dropSchema(db);
                }
            }
        }
        rows.add(row("system load average at the end", loadAverage(), ""));
        ServerBench.printTable(out, rows);
        return rows;
    }

    private List<String[]> runOne(String db, String kind, long frames, int hz, int batch, int points, int repeat)
            throws Exception {
        List<String[]> rows = new ArrayList<>();
        SampleStore store = Stores.open(db);
        long period = 1000 / hz;
        long t0 = System.nanoTime();
        for (long first = 0; first < frames; first += batch) {
            List<Sample> b = new ArrayList<>(batch);
            for (long seq = first; seq < Math.min(frames, first + batch); seq++) {
                b.add(frame(seq, T0 + seq * period));
            }
            store.append(VIN, b);
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        if (store.count(VIN) != frames) {
            throw new IllegalStateException(kind + " holds " + store.count(VIN) + " frames, not " + frames);
        }
        rows.add(row("load with rollups, append of " + batch + " (" + kind + ")", frames / loadS, "frames/s"));
        // The reads are measured on chunks: the whole tail is merged first (the background merger
        // would leave the newest minutes as rows, and may still be behind after a fast load).
        long c0 = System.nanoTime();
        long moved = Stores.compactAll(store);
        rows.add(row("tail rows merged into chunks before the reads (" + kind + ")", moved, "rows"));
        rows.add(row("  that merge took (" + kind + ")", (System.nanoTime() - c0) / 1e9, "s"));
        long to = T0 + frames * period;
        rows.addAll(csvParts(store, kind, Math.min(to, T0 + 3_600_000), repeat));
        try (FleetServer s = FleetServer.start(
                ServerConfig.defaults(TokenStore.demo(Map.of(VIN, "token-history")))
                        .withDb(db),
                store)) {
            HttpClient http = HttpClient.newHttpClient();
            String series = s.baseUrl() + "/api/vehicles/" + VIN + "/series?signals=" + String.join(",", SIGNALS)
                    + "&from=" + T0 + "&to=" + to + "&points=" + points;
            double[] ms = new double[repeat + 1];
            String source = "";
            long cpu0 = 0;
            for (int i = 0; i <= repeat; i++) {
                if (i == 1) {
                    cpu0 = ServerBench.cpuNanos(); // after the cold first request
                }
                long a = System.nanoTime();
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(series)).build(), HttpResponse.BodyHandlers.ofString());
                ms[i] = (System.nanoTime() - a) / 1e6;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("/series answered " + r.statusCode() + ": " + r.body());
                }
                source = checkSeries(r.body(), points);
            }
            String what = "/series " + SIGNALS.length + " signals, " + points + " points, source " + source + " ("
                    + kind + ")";
            rows.add(row(what + ", first", ms[0], "ms"));
            double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(warm);
            rows.add(row(what + ", median", warm[warm.length / 2], "ms"));
            rows.add(row(what + ", worst", warm[warm.length - 1], "ms"));
            if (repeat > 0 && cpu0 >= 0) {
                rows.add(row(
                        what + ", CPU of this JVM per request (server + client)",
                        (ServerBench.cpuNanos() - cpu0) / 1e6 / repeat,
                        "CPU-ms"));
            }
            long hourTo = Math.min(to, T0 + 3_600_000);
            long expected = (hourTo - T0 + period - 1) / period;
            double[] rate = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                rate[i] = csvHour(http, s.baseUrl(), hourTo, expected);
            }
            Arrays.sort(rate);
            rows.add(row(
                    "/samples CSV, one car-hour (" + expected + " frames), median (" + kind + ")",
                    rate[repeat / 2],
                    "frames/s"));
            rows.add(row("rollup bytes per frame (" + kind + ")", rollupBytes(db, kind) / (double) frames, "B/frame"));
        }
        return rows;
    }

    /**
     * Where the CSV hour's time goes, without HTTP, in this JVM: the store's scan alone (frames handed
     * to a counting sink), then the hour's frames (held in memory) formatted for the whole catalogue
     * into a discarding stream, by the per-line path ({@code SignalValues.csvLine} into a UTF-8
     * Writer, what /samples used before) and by {@code CsvWriter}, side by side; medians of {@code
     * repeat}.
     */
    private static List<String[]> csvParts(SampleStore store, String kind, long hourTo, int repeat) throws Exception {
        List<Sample> hour = new ArrayList<>();
        store.scan(VIN, T0, hourTo, hour::add);
        Selection sel = Selection.all(store.catalogue(VIN));
        double[] scan = new double[repeat];
        double[] lines = new double[repeat];
        double[] writer = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long[] n = {0};
            long a = System.nanoTime();
            store.scan(VIN, T0, hourTo, x -> n[0]++);
            scan[i] = n[0] / ((System.nanoTime() - a) / 1e9);
            a = System.nanoTime();
            try (Writer w = new BufferedWriter(
                    new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.UTF_8), 64 * 1024)) {
                StringBuilder line = new StringBuilder(160);
                for (Sample x : hour) {
                    line.setLength(0);
                    SignalValues.csvLine(line, sel, VIN, x.seq(), x.frame());
                    w.append(line);
                }
            }
            lines[i] = hour.size() / ((System.nanoTime() - a) / 1e9);
            a = System.nanoTime();
            CsvWriter cw = new CsvWriter(OutputStream.nullOutputStream(), sel);
            for (Sample x : hour) {
                cw.row(VIN, x.seq(), x.frame());
            }
            cw.flush();
            writer[i] = hour.size() / ((System.nanoTime() - a) / 1e9);
        }
        String h = " of the hour (" + hour.size() + " frames), median (" + kind + ")";
        return List.of(
                row("store scan alone" + h, median(scan), "frames/s"),
                row("CSV formatting, csvLine + Writer (before)" + h, median(lines), "frames/s"),
                row("CSV formatting, CsvWriter (now)" + h, median(writer), "frames/s"));
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** A frame of the 8 signals: a smooth drive with noise (values at the signals' resolutions). */
    static Sample frame(long seq, long t) {
        double x = seq / 50.0;
        long h = seq * 0x9E3779B97F4A7C15L;
        double noise = ((h >>> 40) & 0xff) / 256.0;
        Frame.Builder b = Frame.builder(t, SIGNALS.length);
        b.number(0, round(40 + 20 * Math.sin(x / 10) + noise, 100));
        b.number(1, round(15 + 30 * Math.sin(x / 3) + noise, 100));
        b.number(2, round(80 - x / 5000, 100));
        b.number(3, round((x * 3) % 360, 100));
        b.number(4, round(1000 + x * 0.015, 1000));
        b.number(6, round(12 + Math.sin(x / 50), 100));
        b.number(CATALOGUE.id("PedalPosition"), round(30 + 30 * Math.sin(x / 7), 100));
        b.integer(CATALOGUE.id("Gear"), (seq / 30_000) % 2 == 0 ? 5 : 2);
        return new Sample(seq, b.build());
    }

    private static double round(double v, double per) {
        return Math.round(v * per) / per;
    }

    /** Checks the response: every signal present with at most {@code points} points; returns the source. */
    private static String checkSeries(String body, int points) throws Exception {
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        var series = tree.get("series");
        if (series.size() != SIGNALS.length) {
            throw new IllegalStateException("/series returned " + series.size() + " signals");
        }
        for (var s : series) {
            if (s.get("points").size() > points || s.get("points").isEmpty()) {
                throw new IllegalStateException(
                        s.get("signal") + ": " + s.get("points").size() + " points");
            }
        }
        return series.get(0).get("source").asText();
    }

    private static double csvHour(HttpClient http, String base, long to, long expected) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create(base + "/api/vehicles/" + VIN + "/samples?format=csv&from=" + T0 + "&to=" + to))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = r.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    lines += buf[i] == '\n' ? 1 : 0;
                }
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        if (lines - 1 != expected) {
            throw new IllegalStateException("CSV returned " + (lines - 1) + " frames, not " + expected);
        }
        return expected / s;
    }

    /** Bytes of every rollup table: PostgreSQL after VACUUM with indexes and TOAST; SQLite's pages. */
    static long rollupBytes(String db, String kind) throws Exception {
        try (Connection c = DriverManager.getConnection(db);
                Statement st = c.createStatement()) {
            if (kind.equals("postgresql")) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                        + " c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname ~"
                        + " '^(rollup|signal_names)'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                long bytes = 0;
                for (String t : tables) {
                    st.execute("VACUUM " + t);
                    try (ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('" + t + "')")) {
                        rs.next();
                        bytes += rs.getLong(1);
                    }
                }
                return bytes;
            }
            try (ResultSet rs = st.executeQuery("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'rollup%'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String[] row(String what, double value, String unit) {
        String v =
                value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
        return new String[] {what, v, unit};
    }
}
