package io.fleetlog.server.store;

import io.fleetlog.frame.Frame;
import io.fleetlog.frame.FrameRecords;
import io.fleetlog.sample.Sample;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The row form of a stored frame, shared by both stores: {@code (seq, t, data)} with {@code data =
 * }{@link FrameRecords#encode} of the frame — every captured signal of any catalogue, exactly as
 * appended (omitted marks kept), so adding a signal needs no schema change. {@code t} repeats the
 * frame's capture time for the index and is checked against it on read.
 */
final class SampleRows {
    private SampleRows() {}

    /** The row's bytes for a sample. */
    static byte[] data(Sample s) {
        return FrameRecords.encode(s.frame());
    }

    /** Reads a sample from a row {@code seq, t, data}; a row that does not read back is a StoreException. */
    static Sample read(ResultSet rs, String vin) throws SQLException {
        long seq = rs.getLong(1);
        long t = rs.getLong(2);
        byte[] data = rs.getBytes(3);
        Frame f;
        try {
            f = FrameRecords.decode(data);
        } catch (FrameRecords.FrameFormatException e) {
            throw new StoreException(
                    "stored frame of " + vin + " seq " + seq + " (" + data.length + " bytes) does not read back: "
                            + e.getMessage(),
                    e);
        }
        if (f.timeMs() != t) {
            throw new StoreException("stored frame of " + vin + " seq " + seq + " says capture time " + f.timeMs()
                    + " ms, its row " + t + " ms");
        }
        return new Sample(seq, f);
    }
}
