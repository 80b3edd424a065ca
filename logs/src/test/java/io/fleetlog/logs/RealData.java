package io.fleetlog.logs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real third-party files of {@code shared/data/real} (system property {@code fleetlog.realData}). */
public final class RealData {
    public static final String MODEL3_DBC = "tesla_model3_Model3CAN.dbc";
    public static final String TESSIE_CSV = "tesla_modely_tessie_2024-03-10_kirkwood_to_jackson.csv";
    public static final String FORD_CANDUMP = "ford_fusion_2017-02-17_acc_30_to_80kmh.candump";

    private RealData() {}

    /** The real file, or the test is skipped (assumption) when the data directory is absent. */
    public static Path file(String name) {
        String dir = System.getProperty("fleetlog.realData", "../../shared/data/real");
        Path p = Path.of(dir, name);
        assumeTrue(Files.isReadable(p), "real data not present: " + p);
        return p;
    }
}
