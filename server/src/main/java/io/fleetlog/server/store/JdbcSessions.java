package io.fleetlog.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@link SessionStore}, the same for SQLite and PostgreSQL (plain SQL on the tables
 * {@code drives} and {@code charges}; their DDL is each store's). Every method works inside the
 * caller's transaction and neither commits nor rolls back. NaN is written as NULL and read back as NaN.
 * The derived columns (distance, duration, efficiency) are written for SQL readers such as Grafana and
 * recomputed from the record when read.
 */
final class JdbcSessions {
    private JdbcSessions() {}

    /** Drive columns, the record's components first (in order), then the derived ones. */
    static final String DRIVE_COLUMNS = "vin, start_ms, end_ms, start_lat, start_lon, end_lat, end_lon,"
            + " start_odometer_mi, end_odometer_mi, energy_kwh, energy_source, max_speed_mph, mean_speed_mph,"
            + " elevation_gain_m, elevation_loss_m, start_soc, end_soc, backfill_fraction,"
            + " distance_mi, distance_km, duration_s, wh_per_mi, wh_per_km";

    static final String CHARGE_COLUMNS = "vin, start_ms, end_ms, lat, lon, energy_added_kwh, soc_from, soc_to,"
            + " peak_power_kw, mean_power_kw, kind, cost, currency, backfill_fraction, duration_s";

    private static final String OVERLAP = " WHERE vin = ? AND start_ms <= ? AND end_ms >= ?";

    static void replace(Connection c, String vin, long fromMs, long toMs, List<Drive> drives, List<Charge> charges)
            throws SQLException {
        for (String table : new String[] {"drives", "charges"}) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + OVERLAP)) {
                ps.setString(1, vin);
                ps.setLong(2, toMs);
                ps.setLong(3, fromMs);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO drives (" + DRIVE_COLUMNS + ") VALUES (" + marks(23) + ")")) {
            for (Drive d : drives) {
                bindDrive(ps, d);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO charges (" + CHARGE_COLUMNS + ") VALUES (" + marks(15) + ")")) {
            for (Charge ch : charges) {
                bindCharge(ps, ch);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    private static void bindDrive(PreparedStatement ps, Drive d) throws SQLException {
        int i = 1;
        ps.setString(i++, d.vin());
        ps.setLong(i++, d.startMs());
        ps.setLong(i++, d.endMs());
        double[] a = {
            d.startLat(), d.startLon(), d.endLat(), d.endLon(), d.startOdometerMi(), d.endOdometerMi(), d.energyKwh()
        };
        for (double v : a) {
            num(ps, i++, v);
        }
        ps.setString(i++, d.energySource());
        double[] b = {
            d.maxSpeedMph(),
            d.meanSpeedMph(),
            d.elevationGainM(),
            d.elevationLossM(),
            d.startSoc(),
            d.endSoc(),
            d.backfillFraction(),
            d.distanceMi(),
            d.distanceKm(),
            d.durationS(),
            d.whPerMi(),
            d.whPerKm()
        };
        for (double v : b) {
            num(ps, i++, v);
        }
    }

    private static void bindCharge(PreparedStatement ps, Charge c) throws SQLException {
        int i = 1;
        ps.setString(i++, c.vin());
        ps.setLong(i++, c.startMs());
        ps.setLong(i++, c.endMs());
        double[] a = {c.lat(), c.lon(), c.energyAddedKwh(), c.socFrom(), c.socTo(), c.peakPowerKw(), c.meanPowerKw()};
        for (double v : a) {
            num(ps, i++, v);
        }
        ps.setString(i++, c.kind());
        num(ps, i++, c.cost());
        ps.setString(i++, c.currency());
        num(ps, i++, c.backfillFraction());
        num(ps, i++, c.durationS());
    }

    private static void num(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static double num(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    static List<Drive> drives(Connection c, String vin, long fromMs, long toMs, long afterStartMs, int limit)
            throws SQLException {
        return list(c, "drives", DRIVE_COLUMNS, vin, fromMs, toMs, afterStartMs, limit, JdbcSessions::readDrive);
    }

    static List<Charge> charges(Connection c, String vin, long fromMs, long toMs, long afterStartMs, int limit)
            throws SQLException {
        return list(c, "charges", CHARGE_COLUMNS, vin, fromMs, toMs, afterStartMs, limit, JdbcSessions::readCharge);
    }

    static java.util.Optional<Drive> drive(Connection c, String vin, long startMs) throws SQLException {
        return one(c, "drives", DRIVE_COLUMNS, vin, startMs, JdbcSessions::readDrive);
    }

    static java.util.Optional<Charge> charge(Connection c, String vin, long startMs) throws SQLException {
        return one(c, "charges", CHARGE_COLUMNS, vin, startMs, JdbcSessions::readCharge);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> list(
            Connection c,
            String table,
            String columns,
            String vin,
            long fromMs,
            long toMs,
            long afterStartMs,
            int limit,
            Row<T> row)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table
                + " WHERE vin = ? AND start_ms < ? AND end_ms >= ? AND start_ms > ? ORDER BY start_ms LIMIT ?")) {
            ps.setString(1, vin);
            ps.setLong(2, toMs);
            ps.setLong(3, fromMs);
            ps.setLong(4, afterStartMs);
            ps.setInt(5, Math.max(0, Math.min(limit, SessionStore.MAX_PAGE)));
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        }
    }

    private static <T> java.util.Optional<T> one(
            Connection c, String table, String columns, String vin, long startMs, Row<T> row) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE vin = ? AND start_ms = ?")) {
            ps.setString(1, vin);
            ps.setLong(2, startMs);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(row.read(rs)) : java.util.Optional.empty();
            }
        }
    }

    private static Drive readDrive(ResultSet rs) throws SQLException {
        return new Drive(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                num(rs, 4),
                num(rs, 5),
                num(rs, 6),
                num(rs, 7),
                num(rs, 8),
                num(rs, 9),
                num(rs, 10),
                rs.getString(11),
                num(rs, 12),
                num(rs, 13),
                num(rs, 14),
                num(rs, 15),
                num(rs, 16),
                num(rs, 17),
                num(rs, 18));
    }

    private static Charge readCharge(ResultSet rs) throws SQLException {
        return new Charge(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                num(rs, 4),
                num(rs, 5),
                num(rs, 6),
                num(rs, 7),
                num(rs, 8),
                num(rs, 9),
                num(rs, 10),
                rs.getString(11),
                num(rs, 12),
                rs.getString(13),
                num(rs, 14));
    }

    /** SQLite's tables (PostgreSQL's are the Flyway migration V4__drives_charges.sql: the same columns). */
    static String[] sqliteDdl() {
        String d = " REAL";
        String textType = "TEXT";
        return new String[] {
            "CREATE TABLE IF NOT EXISTS drives (vin " + textType + " NOT NULL, start_ms bigint NOT NULL,"
                    + " end_ms bigint NOT NULL, start_lat" + d + ", start_lon" + d + ", end_lat" + d + ", end_lon" + d
                    + ", start_odometer_mi" + d + ", end_odometer_mi" + d + ", energy_kwh" + d + ", energy_source "
                    + textType + " NOT NULL, max_speed_mph" + d + ", mean_speed_mph" + d + ", elevation_gain_m" + d
                    + ", elevation_loss_m" + d + ", start_soc" + d + ", end_soc" + d + ", backfill_fraction" + d
                    + ", distance_mi" + d + ", distance_km" + d + ", duration_s" + d + ", wh_per_mi" + d
                    + ", wh_per_km" + d + ", PRIMARY KEY (vin, start_ms))",
            "CREATE TABLE IF NOT EXISTS charges (vin " + textType + " NOT NULL, start_ms bigint NOT NULL,"
                    + " end_ms bigint NOT NULL, lat" + d + ", lon" + d + ", energy_added_kwh" + d + ", soc_from" + d
                    + ", soc_to" + d + ", peak_power_kw" + d + ", mean_power_kw" + d + ", kind " + textType
                    + " NOT NULL, cost" + d + ", currency " + textType + ", backfill_fraction" + d + ", duration_s" + d
                    + ", PRIMARY KEY (vin, start_ms))"
        };
    }
}
