package io.fleetlog.logs.export;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * How a CSV time column is written, and its conversion to epoch milliseconds.
 *
 * <p>{@code auto} accepts ISO-like date-times with {@code T} or a space ({@code 2024-03-10 13:34:28},
 * {@code 2021-03-14T12:34:56.789Z}, {@code 2021-03-14 12:34:56.789+00}) and US style
 * ({@code 3/10/2024 1:34:28 PM}); {@code epoch-s} and {@code epoch-ms} take numbers (fractions
 * allowed); anything else is a {@link DateTimeFormatter} pattern. A time without an offset is local
 * time in the zone: in the autumn overlap hour the preferred offset decides (the zone's earlier,
 * daylight offset when none is preferred), and a local time in the spring gap is moved forward by
 * the gap's length (java.time's rule).
 */
public sealed interface TimeFormat {
    /** Epoch milliseconds of {@code text}; {@code preferred} may be null. */
    long toEpochMs(String text, ZoneId zone, ZoneOffset preferred);

    static TimeFormat of(String spec) {
        return switch (spec.strip().toLowerCase(Locale.ROOT)) {
            case "auto", "iso" -> new Auto();
            case "epoch-s", "epoch_s", "epoch" -> new Epoch(1000);
            case "epoch-ms", "epoch_ms" -> new Epoch(1);
            default -> new Pattern(spec.strip(), DateTimeFormatter.ofPattern(spec.strip(), Locale.ROOT));
        };
    }

    private static long local(TemporalAccessor t, ZoneId zone, ZoneOffset preferred) {
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
            return Instant.from(t).toEpochMilli();
        }
        LocalDateTime ldt = LocalDateTime.from(t);
        return ZonedDateTime.ofLocal(ldt, zone, preferred).toInstant().toEpochMilli();
    }

    /** Flexible ISO-like and US date-times. */
    record Auto() implements TimeFormat {
        private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .optionalStart()
                .appendLiteral('T')
                .optionalEnd()
                .optionalStart()
                .appendLiteral(' ')
                .optionalEnd()
                .append(DateTimeFormatter.ISO_LOCAL_TIME)
                .optionalStart()
                .appendLiteral(' ')
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HH:MM", "Z")
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HHMM", "Z")
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HH", "Z")
                .optionalEnd()
                .toFormatter(Locale.ROOT);
        private static final List<DateTimeFormatter> US = List.of(
                DateTimeFormatter.ofPattern("M/d/uuuu h:mm[:ss] a", Locale.US),
                DateTimeFormatter.ofPattern("M/d/uuuu H:mm[:ss]", Locale.US));

        @Override
        public long toEpochMs(String text, ZoneId zone, ZoneOffset preferred) {
            String s = text.strip();
            try {
                return local(ISO.parse(s), zone, preferred);
            } catch (DateTimeParseException e) {
                for (DateTimeFormatter f : US) {
                    try {
                        return local(f.parse(s.toUpperCase(Locale.ROOT)), zone, preferred);
                    } catch (DateTimeParseException ignored) {
                        // try the next pattern; the ISO error is reported below
                    }
                }
                throw new DateTimeException(
                        "'" + text + "' is not a date-time (yyyy-MM-dd HH:mm:ss[.SSS][offset] or M/d/yyyy h:mm:ss a)");
            }
        }

        @Override
        public String toString() {
            return "auto";
        }
    }

    /** Seconds or milliseconds since the epoch. */
    record Epoch(long msPerUnit) implements TimeFormat {
        @Override
        public long toEpochMs(String text, ZoneId zone, ZoneOffset preferred) {
            try {
                double v = Double.parseDouble(text.strip());
                if (!Double.isFinite(v) || Math.abs(v * msPerUnit) > 1e15) {
                    throw new NumberFormatException();
                }
                return Math.round(v * msPerUnit);
            } catch (NumberFormatException e) {
                throw new DateTimeException("'" + text + "' is not " + this);
            }
        }

        @Override
        public String toString() {
            return msPerUnit == 1 ? "epoch-ms" : "epoch-s";
        }
    }

    /** A {@link DateTimeFormatter} pattern. */
    record Pattern(String pattern, DateTimeFormatter formatter) implements TimeFormat {
        @Override
        public long toEpochMs(String text, ZoneId zone, ZoneOffset preferred) {
            try {
                return local(formatter.parse(text.strip()), zone, preferred);
            } catch (DateTimeParseException e) {
                throw new DateTimeException("'" + text + "' does not match the pattern '" + pattern + "'");
            }
        }

        @Override
        public String toString() {
            return pattern;
        }
    }
}
