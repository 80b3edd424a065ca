package io.fleetlog.kafka;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.catalog.CatalogueFormatException;
import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
import io.fleetlog.sample.Sample;
import io.fleetlog.sample.Vin;
import io.fleetlog.server.store.StoreWrite;
import io.fleetlog.server.store.Vehicle;
import io.fleetlog.server.store.VehicleEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Kafka record of one {@link StoreWrite}. Key: the VIN in UTF-8 (so one vehicle's records share a
 * partition and keep their order). Value, big-endian:
 *
 * <table>
 *   <caption>record value</caption>
 *   <tr><th>bytes</th><th>field</th></tr>
 *   <tr><td>1</td><td>version, {@value #VERSION}</td></tr>
 *   <tr><td>1</td><td>kind: 1 append, 2 event, 3 vehicle, 4 catalogue</td></tr>
 *   <tr><td colspan="2"><b>append</b></td></tr>
 *   <tr><td>32</td><td>SHA-256 of the vehicle's catalogue when produced (zeros when unknown)</td></tr>
 *   <tr><td>4</td><td>n, the number of samples (1..{@value #MAX_SAMPLES})</td></tr>
 *   <tr><td>8</td><td>the first seq</td></tr>
 *   <tr><td>4 · (n−1)</td><td>each next seq minus the previous one (≥ 1)</td></tr>
 *   <tr><td>rest</td><td>the n frames, {@link FrameRecords#encodeAll} (lossless, no catalogue needed)</td></tr>
 *   <tr><td colspan="2"><b>event</b></td></tr>
 *   <tr><td>8, s, 8, 8, s</td><td>time ms, kind name, from seq, to seq, detail</td></tr>
 *   <tr><td colspan="2"><b>vehicle</b></td></tr>
 *   <tr><td>s?, s?</td><td>model, name (each a presence byte, then s when 1)</td></tr>
 *   <tr><td colspan="2"><b>catalogue</b></td></tr>
 *   <tr><td>32, t</td><td>its SHA-256, its canonical text (4-byte length + UTF-8)</td></tr>
 * </table>
 *
 * <p>{@code s} is a 2-byte length and UTF-8 (at most {@value #MAX_STRING_BYTES} bytes; longer event
 * details are cut when written). Reading checks the version, every length against what is left, the
 * VIN, the seqs and the catalogue's hash, and refuses trailing bytes, with a {@link BadRecord} saying
 * what; it never allocates more than the record holds.
 */
final class Records {
    static final int VERSION = 1;
    static final int APPEND = 1;
    static final int EVENT = 2;
    static final int VEHICLE = 3;
    static final int CATALOGUE = 4;
    /** The most samples one record carries (ingest's batch limit). */
    static final int MAX_SAMPLES = 65_536;

    static final int MAX_STRING_BYTES = 8_192;
    /** The longest catalogue text a record may carry. */
    static final int MAX_CATALOGUE_BYTES = 4 << 20;

    private static final byte[] NO_HASH = new byte[32];

    private Records() {}

    static byte[] key(String vin) {
        return vin.getBytes(StandardCharsets.UTF_8);
    }

    /** The value of {@code w}; {@code catalogueHash} (64 hex digits or null) goes into an append. */
    static byte[] value(StoreWrite w, String catalogueHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            switch (w) {
                case StoreWrite.Append a -> writeAppend(out, a, catalogueHash);
                case StoreWrite.Event e -> {
                    out.writeByte(EVENT);
                    VehicleEvent ev = e.event();
                    out.writeLong(ev.tMs());
                    writeString(out, ev.kind().name());
                    out.writeLong(ev.fromSeq());
                    out.writeLong(ev.toSeq());
                    writeString(out, ev.detail());
                }
                case StoreWrite.UpsertVehicle v -> {
                    out.writeByte(VEHICLE);
                    writeOptional(out, v.vehicle().model());
                    writeOptional(out, v.vehicle().name());
                }
                case StoreWrite.UseCatalogue c -> {
                    out.writeByte(CATALOGUE);
                    out.write(HexFormat.of().parseHex(c.catalogue().hash()));
                    byte[] text = c.catalogue().toText().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(text.length);
                    out.write(text);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not
        }
        return bytes.toByteArray();
    }

    private static void writeAppend(DataOutputStream out, StoreWrite.Append a, String catalogueHash)
            throws IOException {
        List<Sample> samples = a.samples();
        if (samples.isEmpty() || samples.size() > MAX_SAMPLES) {
            throw new IllegalArgumentException(
                    "an append record holds 1.." + MAX_SAMPLES + " samples, not " + samples.size());
        }
        out.writeByte(APPEND);
        out.write(catalogueHash == null ? NO_HASH : HexFormat.of().parseHex(catalogueHash));
        out.writeInt(samples.size());
        out.writeLong(samples.get(0).seq());
        List<Frame> frames = new ArrayList<>(samples.size());
        frames.add(samples.get(0).frame());
        for (int i = 1; i < samples.size(); i++) {
            long step = samples.get(i).seq() - samples.get(i - 1).seq();
            if (step < 1 || step > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("seqs of an append must ascend: "
                        + samples.get(i - 1).seq() + " then " + samples.get(i).seq());
            }
            out.writeInt((int) step);
            frames.add(samples.get(i).frame());
        }
        out.write(FrameRecords.encodeAll(frames));
    }

    /** A record read back: the write, and for an append the catalogue hash it was produced under. */
    record Read(StoreWrite write, String catalogueHash) {}

    /** Reads a record; {@link BadRecord} when it is not one this version wrote. */
    static Read read(byte[] key, byte[] value) throws BadRecord {
        if (key == null || value == null) {
            throw new BadRecord("record without " + (key == null ? "key" : "value"));
        }
        String vin = new String(key, StandardCharsets.UTF_8);
        if (!Vin.isValid(vin)) {
            throw new BadRecord("key is not a valid VIN (" + key.length + " bytes)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new BadRecord("record version " + version + " is not " + VERSION);
            }
            int kind = in.readUnsignedByte();
            Read r = switch (kind) {
                case APPEND -> readAppend(in, vin, value.length);
                case EVENT -> new Read(new StoreWrite.Event(readEvent(in, vin)), null);
                case VEHICLE ->
                    new Read(new StoreWrite.UpsertVehicle(new Vehicle(vin, readOptional(in), readOptional(in))), null);
                case CATALOGUE -> new Read(new StoreWrite.UseCatalogue(vin, readCatalogue(in)), null);
                default -> throw new BadRecord("unknown record kind " + kind);
            };
            if (in.available() > 0) {
                throw new BadRecord(in.available() + " trailing bytes after a record of kind " + kind);
            }
            return r;
        } catch (EOFException e) {
            throw new BadRecord("record of " + value.length + " bytes ends early");
        } catch (IOException e) {
            throw new BadRecord("record does not read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadRecord(e.getMessage());
        }
    }

    private static Read readAppend(DataInputStream in, String vin, int size) throws IOException, BadRecord {
        byte[] hash = in.readNBytes(32);
        if (hash.length != 32) {
            throw new EOFException();
        }
        int n = in.readInt();
        if (n < 1 || n > MAX_SAMPLES || 8L + 4L * (n - 1) > in.available()) {
            throw new BadRecord("append of " + n + " samples does not fit a record of " + size + " bytes");
        }
        long[] seqs = new long[n];
        seqs[0] = in.readLong();
        if (seqs[0] < 0) {
            throw new BadRecord("first seq " + seqs[0] + " is negative");
        }
        for (int i = 1; i < n; i++) {
            int step = in.readInt();
            if (step < 1) {
                throw new BadRecord("seq step " + step + " after seq " + seqs[i - 1] + " does not ascend");
            }
            seqs[i] = Math.addExact(seqs[i - 1], step);
        }
        List<Frame> frames;
        try {
            frames = FrameRecords.decodeAll(in.readAllBytes());
        } catch (FrameRecords.FrameFormatException e) {
            throw new BadRecord("frames of seqs " + seqs[0] + ".." + seqs[n - 1] + ": " + e.getMessage());
        }
        if (frames.size() != n) {
            throw new BadRecord("append declares " + n + " seqs but holds " + frames.size() + " frames");
        }
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(new Sample(seqs[i], frames.get(i)));
        }
        String h =
                java.util.Arrays.equals(hash, NO_HASH) ? null : HexFormat.of().formatHex(hash);
        return new Read(new StoreWrite.Append(vin, samples), h);
    }

    private static VehicleEvent readEvent(DataInputStream in, String vin) throws IOException, BadRecord {
        long t = in.readLong();
        String kindName = readString(in);
        VehicleEvent.Kind kind;
        try {
            kind = VehicleEvent.Kind.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            throw new BadRecord("unknown event kind '" + kindName + "'");
        }
        return new VehicleEvent(vin, t, kind, in.readLong(), in.readLong(), readString(in));
    }

    private static Catalogue readCatalogue(DataInputStream in) throws IOException, BadRecord {
        String hash = HexFormat.of().formatHex(in.readNBytes(32));
        int len = in.readInt();
        if (len < 0 || len > MAX_CATALOGUE_BYTES || len > in.available()) {
            throw new BadRecord("catalogue text of " + len + " bytes does not fit the record");
        }
        String text = new String(in.readNBytes(len), StandardCharsets.UTF_8);
        Catalogue c;
        try {
            c = CatalogueFormat.parse(text, "catalogue record " + hash.substring(0, 16));
        } catch (CatalogueFormatException e) {
            throw new BadRecord("catalogue " + hash.substring(0, 16) + " does not parse: " + e.getMessage());
        }
        if (!c.hash().equals(hash)) {
            throw new BadRecord("catalogue record " + hash.substring(0, 16) + " hashes to " + c.shortId());
        }
        return c;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, MAX_STRING_BYTES);
        while (n < b.length && n > 0 && (b[n] & 0xC0) == 0x80) {
            n--; // cut on a character boundary
        }
        out.writeShort(n);
        out.write(b, 0, n);
    }

    private static String readString(DataInputStream in) throws IOException, BadRecord {
        int n = in.readUnsignedShort();
        if (n > MAX_STRING_BYTES || n > in.available()) {
            throw new BadRecord("string of " + n + " bytes does not fit the record");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void writeOptional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readOptional(DataInputStream in) throws IOException, BadRecord {
        return in.readBoolean() ? readString(in) : null;
    }

    /** A record that is not one this version of fleetlog wrote; the message says what and where. */
    static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecord(String message) {
            super(message);
        }
    }
}
