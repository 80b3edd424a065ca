package io.fleetlog.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSampleStoreTest extends SampleStoreContract {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("data/fleetlog.db");
    }

    /** This class runs the contract in the rows layout; {@link SqliteChunkedStoreTest} in chunks. */
    @Override
    SampleStore openStore() {
        return Stores.open(url(), StoreLayout.ROWS);
    }

    @Override
    SampleStore reopen() {
        store.close();
        return Stores.open(url(), StoreLayout.ROWS);
    }

    /** A file written before frames (8 REAL columns per sample) is converted when it is opened. */
    @Test
    void aFileOfEightColumnSamplesIsConvertedToFramesAtOpen() throws Exception {
        store.close();
        Path old = dir.resolve("old.db");
        Files.createDirectories(dir);
        List<Sample> in = new ArrayList<>(Samples.drive(0, 10, Samples.T0));
        double[] v = in.get(3).values();
        v[Field.SOC.ordinal()] = Double.NaN;
        in.set(3, new Sample(3, in.get(3).captureTimeMs(), v, 1 << Field.SPEED.ordinal()));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE vehicles(id INTEGER PRIMARY KEY, vin TEXT NOT NULL UNIQUE, model TEXT,"
                    + " name TEXT, last_seq INTEGER NOT NULL DEFAULT -1, samples INTEGER NOT NULL DEFAULT 0,"
                    + " last_capture_ms INTEGER NOT NULL DEFAULT -1)");
            st.execute("CREATE TABLE samples(vehicle_id INTEGER NOT NULL, seq INTEGER NOT NULL, t INTEGER NOT NULL,"
                    + " speed REAL, power REAL, soc REAL, heading REAL, odometer REAL, latitude REAL, longitude REAL,"
                    + " elevation REAL, reconstructed INTEGER NOT NULL, PRIMARY KEY(vehicle_id, seq)) WITHOUT ROWID");
            st.execute("INSERT INTO vehicles(id, vin, last_seq, samples, last_capture_ms) VALUES (1, '" + VIN
                    + "', 9, 10, " + in.get(9).captureTimeMs() + ")");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO samples VALUES (1,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (Sample s : in) {
                    ps.setLong(1, s.seq());
                    ps.setLong(2, s.captureTimeMs());
                    for (Field f : Field.values()) {
                        if (s.available(f)) {
                            ps.setDouble(3 + f.ordinal(), s.get(f));
                        } else {
                            ps.setNull(3 + f.ordinal(), java.sql.Types.REAL);
                        }
                    }
                    ps.setInt(3 + Field.COUNT, s.omittedMask());
                    ps.executeUpdate();
                }
            }
        }
        store = Stores.open("jdbc:sqlite:" + old);
        List<Sample> out = new ArrayList<>();
        store.scan(VIN, 0, Long.MAX_VALUE, out::add);
        assertThat(out).containsExactlyElementsOf(in);
        assertThat(out.get(3).available(Field.SOC)).isFalse();
        assertThat(out.get(3).omitted(Field.SPEED)).isTrue();
        assertThat(store.count(VIN)).isEqualTo(10);
        assertThat(store.lastSeq(VIN)).isEqualTo(9);
        assertThat(store.catalogue(VIN)).isEqualTo(io.fleetlog.catalog.Catalogue.builtin());
        store.append(VIN, Samples.drive(10, 5, Samples.T0 + 200));
        assertThat(store.count(VIN)).isEqualTo(15);
    }
}
