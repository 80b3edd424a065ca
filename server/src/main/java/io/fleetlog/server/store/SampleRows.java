package io.fleetlog.server.store;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a sample from a row {@code seq, t, <fields in Field order>, reconstructed}. */
final class SampleRows {
    private SampleRows() {}

    static Sample read(ResultSet rs) throws SQLException {
        double[] v = new double[Field.COUNT];
        for (int f = 0; f < Field.COUNT; f++) {
            double d = rs.getDouble(3 + f);
            v[f] = rs.wasNull() ? Double.NaN : d;
        }
        return new Sample(rs.getLong(1), rs.getLong(2), v, rs.getInt(3 + Field.COUNT));
    }
}
