package io.fleetlog.server.trips;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prices charged energy: a flat rate, or rates by time of day and by place, read from a small text file
 * (docs/drives.md has the format). The first {@code rate} line that matches a moment and a place wins, so
 * specific lines go first. Immutable and thread-safe.
 *
 * <pre>
 * currency EUR
 * zone Europe/Berlin
 * rate 0.12 at 52.52,13.405 within 300 from 00:00 to 07:00   # home, night
 * rate 0.30 at 52.52,13.405 within 300                       # home, day
 * rate 0.59                                                  # anywhere else
 * </pre>
 */
public final class Tariff {
    /** No tariff: charges have no cost. */
    public static final Tariff NONE = new Tariff("", ZoneId.of("UTC"), List.of());

    /** One {@code rate} line: a price per kWh, an optional place (centre, radius m), an optional time window. */
    record Rate(double perKwh, double lat, double lon, double radiusM, LocalTime from, LocalTime to) {
        boolean matches(LocalTime time, double atLat, double atLon) {
            if (!Double.isNaN(lat)) {
                if (Double.isNaN(atLat) || metres(lat, lon, atLat, atLon) > radiusM) {
                    return false;
                }
            }
            if (from == null) {
                return true;
            }
            return from.isBefore(to) || from.equals(to)
                    ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to); // a window across midnight
        }
    }

    private final String currency;
    private final ZoneId zone;
    private final List<Rate> rates;

    Tariff(String currency, ZoneId zone, List<Rate> rates) {
        this.currency = currency;
        this.zone = zone;
        this.rates = List.copyOf(rates);
    }

    /** A flat rate everywhere, at every hour. */
    public static Tariff flat(double perKwh, String currency) {
        return new Tariff(
                currency,
                ZoneId.of("UTC"),
                List.of(new Rate(check(perKwh, "rate"), Double.NaN, Double.NaN, 0, null, null)));
    }

    public String currency() {
        return currency;
    }

    /** The price per kWh at {@code tMs} where the car stands, NaN when no line matches. */
    public double price(long tMs, double lat, double lon) {
        if (rates.isEmpty()) {
            return Double.NaN;
        }
        LocalTime time = LocalTime.ofInstant(Instant.ofEpochMilli(tMs), zone);
        for (Rate r : rates) {
            if (r.matches(time, lat, lon)) {
                return r.perKwh();
            }
        }
        return Double.NaN;
    }

    public static Tariff read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a tariff file.
     *
     * @throws IllegalArgumentException naming {@code file:line} and what is wrong
     */
    public static Tariff parse(String text, String file) {
        String currency = null;
        ZoneId zone = ZoneId.of("UTC");
        List<Rate> rates = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (n + 1) + ": ";
            String[] w = line.split("\\s+");
            try {
                switch (w[0].toLowerCase(Locale.ROOT)) {
                    case "currency" -> currency = one(w, "currency code");
                    case "zone" -> zone = ZoneId.of(one(w, "time zone"));
                    case "rate" -> rates.add(rate(w));
                    default ->
                        throw new IllegalArgumentException(
                                "unknown keyword '" + w[0] + "' (known: currency, zone, rate)");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException(file + ": no rate line");
        }
        if (currency == null) {
            throw new IllegalArgumentException(file + ": no currency line");
        }
        return new Tariff(currency, zone, rates);
    }

    private static String one(String[] w, String what) {
        if (w.length != 2) {
            throw new IllegalArgumentException(w[0] + " takes one " + what + ", got " + (w.length - 1) + " words");
        }
        return w[1];
    }

    private static Rate rate(String[] w) {
        if (w.length < 2) {
            throw new IllegalArgumentException("rate needs a price per kWh");
        }
        double price = check(number(w[1], "price"), "price");
        double lat = Double.NaN;
        double lon = Double.NaN;
        double radius = 0;
        LocalTime from = null;
        LocalTime to = null;
        int i = 2;
        while (i < w.length) {
            String key = w[i].toLowerCase(Locale.ROOT);
            if (key.equals("at") && i + 3 < w.length && w[i + 2].equalsIgnoreCase("within")) {
                String[] ll = w[i + 1].split(",");
                if (ll.length != 2) {
                    throw new IllegalArgumentException("place '" + w[i + 1] + "' is not LAT,LON");
                }
                lat = number(ll[0], "latitude");
                lon = number(ll[1], "longitude");
                if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                    throw new IllegalArgumentException("place " + w[i + 1] + " is outside lat ±90, lon ±180");
                }
                radius = check(number(w[i + 3], "radius"), "radius");
                i += 4;
            } else if (key.equals("from") && i + 3 < w.length && w[i + 2].equalsIgnoreCase("to")) {
                from = time(w[i + 1]);
                to = time(w[i + 3]);
                i += 4;
            } else {
                throw new IllegalArgumentException("unexpected '" + w[i]
                        + "' (a rate is: rate PRICE [at LAT,LON within METRES] [from HH:MM to HH:MM])");
            }
        }
        return new Rate(price, lat, lon, radius, from, to);
    }

    private static LocalTime time(String s) {
        if (s.equals("24:00")) {
            return LocalTime.MAX;
        }
        try {
            return LocalTime.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + s + "' is not HH:MM", e);
        }
    }

    private static double number(String s, String what) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a number", e);
        }
    }

    private static double check(double v, String what) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(what + " " + v + " must be a finite number ≥ 0");
        }
        return v;
    }

    /** Great-circle distance, m (haversine, the catalogue's sphere R = 6,371,008.8 m). */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
        return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
