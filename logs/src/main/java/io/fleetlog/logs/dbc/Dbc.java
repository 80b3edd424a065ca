package io.fleetlog.logs.dbc;

import io.fleetlog.logs.candump.CanFrame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CAN database read from a Vector DBC file: messages ({@code BO_}), their signals ({@code SG_},
 * Intel or Motorola, signed or unsigned, factor/offset, range, unit, receivers, multiplexing
 * {@code M}/{@code mN}), value tables ({@code VAL_}) and float types ({@code SIG_VALTYPE_}).
 *
 * <p>Comments, attributes, node lists, environment variables and the other DBC sections are read
 * over and ignored (including multi-line quoted strings). LF and CRLF line endings are accepted.
 * A malformed statement fails the whole parse with a {@link DbcException} naming {@code file:line}:
 * a DBC is configuration, and decoding with half of it would silently cost data. Immutable and
 * thread-safe once parsed.
 */
public final class Dbc {
    private final String name;
    private final Map<Long, DbcMessage> byKey;
    private final Map<String, DbcMessage> byName;

    Dbc(String name, List<DbcMessage> messages) {
        this.name = name;
        Map<Long, DbcMessage> k = new LinkedHashMap<>();
        Map<String, DbcMessage> n = new LinkedHashMap<>();
        for (DbcMessage m : messages) {
            k.put(key(m.id(), m.extended()), m);
            n.put(m.name(), m);
        }
        this.byKey = k;
        this.byName = n;
    }

    /** Parses a DBC file (ASCII/UTF-8 or Latin-1 text). */
    public static Dbc parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        // DBC files are often Windows-1252; decode as Latin-1 so no byte is ever malformed.
        try (Reader r = new java.io.StringReader(new String(bytes, StandardCharsets.ISO_8859_1))) {
            return parse(r, file.getFileName().toString());
        }
    }

    /** Parses DBC text; errors are located as {@code <reader>:line}. */
    public static Dbc parse(Reader reader) throws IOException {
        return parse(reader, "<reader>");
    }

    /** Parses DBC text; {@code name} is used in error locations. */
    public static Dbc parse(Reader reader, String name) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        return new DbcParser(name).parse(in);
    }

    /** File name the database was read from. */
    public String name() {
        return name;
    }

    public Collection<DbcMessage> messages() {
        return byKey.values();
    }

    /** Number of signals over all messages. */
    public int signalCount() {
        return byKey.values().stream().mapToInt(m -> m.signals().size()).sum();
    }

    public Optional<DbcMessage> message(long id, boolean extended) {
        return Optional.ofNullable(byKey.get(key(id, extended)));
    }

    public Optional<DbcMessage> message(String messageName) {
        return Optional.ofNullable(byName.get(messageName));
    }

    /**
     * Decodes one frame's payload: the values of the message's signals present in it (see {@link
     * DbcMessage#decode}); empty when the DBC does not know the ID.
     */
    public Map<String, Double> decode(long id, boolean extended, byte[] data, int dataLength) {
        DbcMessage m = byKey.get(key(id, extended));
        return m == null ? Map.of() : m.decode(data, dataLength);
    }

    /** Decodes one frame (see {@link #decode(long, boolean, byte[], int)}); remote frames give nothing. */
    public Map<String, Double> decode(CanFrame frame) {
        if (frame.kind() == CanFrame.Kind.REMOTE) {
            return Map.of();
        }
        return decode(frame.id(), frame.extended(), frame.data(), frame.data().length);
    }

    /** A payload for {@code messageName} holding {@code values}; see {@link DbcMessage#encode}. */
    public byte[] encode(String messageName, Map<String, Double> values) {
        return message(messageName)
                .orElseThrow(() -> new IllegalArgumentException(name + " has no message '" + messageName + "'"))
                .encode(values);
    }

    /** A single long key for an (id, extended) pair, as used by lookups in hot paths. */
    public static long key(long id, boolean extended) {
        return extended ? id | (1L << 32) : id;
    }

    @Override
    public String toString() {
        return name + " (" + byKey.size() + " messages, " + signalCount() + " signals)";
    }
}
