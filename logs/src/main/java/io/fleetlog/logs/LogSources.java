package io.fleetlog.logs;

import io.fleetlog.logs.candump.CanFrames;
import io.fleetlog.logs.candump.CandumpReader;
import io.fleetlog.logs.dbc.Dbc;
import io.fleetlog.logs.export.ColumnMapping;
import io.fleetlog.logs.export.CsvSource;
import io.fleetlog.logs.export.Resampler;
import io.fleetlog.logs.export.TeslaFiCsvSource;
import io.fleetlog.logs.export.TeslaMateCsvSource;
import io.fleetlog.logs.export.TessieCsvSource;
import io.fleetlog.logs.mapping.BoundMapping;
import io.fleetlog.logs.mapping.CanSource;
import io.fleetlog.logs.mapping.MappingException;
import io.fleetlog.logs.mapping.SignalMapping;
import io.fleetlog.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry point for the CLI: a log file and its format → a {@link Source} of samples, the file's
 * VIN and a description.
 *
 * <p>Options that do not apply to the format are refused ({@link IllegalArgumentException} naming
 * the option), so a mistyped command fails before anything is sent. A multi-car TeslaFi, TeslaMate
 * or CSV file without {@code vehicle} is refused, listing the cars. Files that cannot be read fail
 * with {@link IOException} naming file and line.
 */
public final class LogSources {
    private LogSources() {}

    public static OpenedLog open(Path input, String format, LogOptions options) throws IOException {
        return open(input, LogFormat.parse(format), options);
    }

    public static OpenedLog open(Path input, LogFormat format, LogOptions o) throws IOException {
        refuseInapplicable(format, o);
        if (!Files.isRegularFile(input)) {
            throw new NoSuchFileException(input.toString(), null, "no such log file");
        }
        return format == LogFormat.CANDUMP ? candump(input, o) : csv(input, format, o);
    }

    private static void refuseInapplicable(LogFormat format, LogOptions o) {
        List<String> wrong = new ArrayList<>();
        if (format != LogFormat.CANDUMP) {
            if (o.dbc() != null) {
                wrong.add("--dbc (only for candump)");
            }
            if (o.iface() != null) {
                wrong.add("--interface (only for candump)");
            }
        } else {
            if (o.zone() != null) {
                wrong.add("--zone (candump timestamps are epoch seconds)");
            }
            if (o.vehicle() != null) {
                wrong.add("--vehicle (a candump log is one vehicle)");
            }
        }
        if (format == LogFormat.TESSIE && o.vehicle() != null) {
            wrong.add("--vehicle (a Tessie export is one vehicle)");
        }
        if (o.mapping() != null && format != LogFormat.CANDUMP && format != LogFormat.CSV) {
            wrong.add(
                    "--mapping (" + format.key() + " has a built-in mapping; use --format csv with a mapping instead)");
        }
        if (format == LogFormat.CSV && o.mapping() == null) {
            wrong.add("missing --mapping (--format csv needs a column-mapping file)");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("--format " + format.key() + ": " + String.join("; ", wrong));
        }
    }

    private static OpenedLog candump(Path input, LogOptions o) throws IOException {
        CandumpReader reader = CandumpReader.open(input, o.iface());
        CanSource source;
        try {
            source = canSource(reader, input.getFileName().toString(), o);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return new OpenedLog(source, Optional.empty(), source.describe());
    }

    /**
     * Samples decoded from any stream of CAN frames (a candump file, live candump lines, an SLCAN
     * adapter) exactly as {@code replay --format candump} decodes a log: {@code o}'s DBC and mapping
     * (default: the built-in Model 3 ones), its rate (default 50 Hz) and longest bridged gap. Only the
     * CAN options of {@code o} are read. A bad DBC or mapping fails here, before anything is read.
     *
     * @param name the input's name in the description ({@code stdin}, {@code slcan:/dev/ttyACM0})
     */
    public static CanSource canSource(CanFrames frames, String name, LogOptions o) throws IOException {
        Dbc dbc = o.dbc() == null ? SignalMapping.model3Dbc() : Dbc.parse(o.dbc());
        SignalMapping mapping = o.mapping() == null ? SignalMapping.model3() : SignalMapping.parse(o.mapping());
        BoundMapping bound;
        try {
            bound = mapping.bind(dbc);
        } catch (MappingException e) {
            if (o.mapping() != null) {
                throw e;
            }
            throw new IllegalArgumentException(
                    e.getMessage()
                            + " (the built-in Model 3 mapping needs the Model 3 DBC; pass --mapping for another vehicle)",
                    e);
        }
        double hz = o.resampleHz() == 0 ? 50 : o.resampleHz();
        CanSource.Options opts = new CanSource.Options(hz, o.maxGap() == null ? LogOptions.CAN_MAX_GAP : o.maxGap());
        String describe = "candump " + name + " via " + dbc.name() + " and " + mapping.name()
                + (o.iface() == null ? "" : ", interface " + o.iface()) + ", " + hz + " Hz";
        return new CanSource(frames, bound, opts, describe);
    }

    private static OpenedLog csv(Path input, LogFormat format, LogOptions o) throws IOException {
        ColumnMapping mapping = switch (format) {
            case TESSIE -> TessieCsvSource.mapping(o.zone());
            case TESLAFI -> TeslaFiCsvSource.mapping(o.zone());
            case TESLAMATE -> TeslaMateCsvSource.mapping(o.zone());
            default -> {
                ColumnMapping m = ColumnMapping.parse(o.mapping());
                yield o.zone() == null ? m : m.withZone(o.zone(), null);
            }
        };
        Optional<String> vin = Optional.empty();
        if (mapping.vehicle() != null || mapping.vin() != null) {
            vin = chooseVehicle(input, mapping, o.vehicle());
        } else if (o.vehicle() != null) {
            throw new IllegalArgumentException("--vehicle: " + input.getFileName() + " (" + mapping.name()
                    + ") has no column telling vehicles apart");
        }
        Source source = CsvSource.open(input, mapping, o.vehicle());
        if (o.resampleHz() > 0) {
            source = new Resampler(source, o.resampleHz(), o.maxGap() == null ? LogOptions.CSV_MAX_GAP : o.maxGap());
        }
        return new OpenedLog(source, vin, format.key() + " " + source.describe());
    }

    /** Checks the choice of car against the file's cars; returns the chosen car's VIN if known. */
    private static Optional<String> chooseVehicle(Path input, ColumnMapping mapping, String vehicle)
            throws IOException {
        Map<String, String> cars = CsvSource.vehicles(input, mapping);
        String list = cars.entrySet().stream()
                .map(e -> e.getKey()
                        + (e.getValue().isEmpty() || e.getValue().equals(e.getKey())
                                ? ""
                                : " (VIN " + e.getValue() + ")"))
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
        if (vehicle == null) {
            if (cars.size() > 1) {
                throw new IllegalArgumentException(input.getFileName() + " holds " + cars.size() + " vehicles: " + list
                        + "; choose one with --vehicle");
            }
            return cars.values().stream().filter(v -> !v.isEmpty()).findFirst();
        }
        for (Map.Entry<String, String> e : cars.entrySet()) {
            if (e.getKey().equals(vehicle) || e.getValue().equalsIgnoreCase(vehicle)) {
                return e.getValue().isEmpty() ? Optional.empty() : Optional.of(e.getValue());
            }
        }
        throw new IllegalArgumentException(
                "--vehicle " + vehicle + " is not in " + input.getFileName() + "; it holds " + list);
    }
}
