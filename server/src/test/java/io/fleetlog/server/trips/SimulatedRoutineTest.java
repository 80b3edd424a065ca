package io.fleetlog.server.trips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fleetlog.sample.Sample;
import io.fleetlog.server.store.Charge;
import io.fleetlog.server.store.Drive;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The edge's simulator as known truth: its routine (drive, park, AC charge, drive) at 50 Hz, with the
 * catalogue signals the simulator really sends (Gear and DetailedChargeState on change, ACChargingPower
 * at 1 Hz). Its SoC falls exactly by the battery energy, so the drive's integrated Power must agree with
 * the SoC delta at the model's 75 kWh pack.
 */
class SimulatedRoutineTest {
    static final long T0 = SessionDetectorTest.T0;

    @Test
    void theSimulatorsDriveAndChargeAreFoundWithItsOwnEnergy() {
        VehicleModel model = VehicleModel.byKey("modely");
        DriveSimulator sim = new DriveSimulator(model, 42, T0, Duration.ofMinutes(40));
        SessionDetector d = new SessionDetector("SIM", model.batteryKwh(), t -> true, Tariff.flat(0.30, "EUR"));
        double odo0 = Double.NaN;
        for (Sample s = sim.next(); s != null; s = sim.next()) {
            odo0 = Double.isNaN(odo0) ? s.get(io.fleetlog.sample.Field.ODOMETER) : odo0;
            d.accept(s);
        }
        SessionDetector.Result r = d.finish();
        assertThat(r.drives()).hasSize(1);
        assertThat(r.charges()).hasSize(1);
        Drive drive = r.drives().get(0);
        Charge charge = r.charges().get(0);
        assertThat(drive.startMs()).isEqualTo(T0);
        assertThat(drive.startOdometerMi()).isEqualTo(odo0);
        assertThat(drive.energySource()).isEqualTo("power");
        double socKwh = (drive.startSoc() - drive.endSoc()) / 100 * model.batteryKwh();
        System.out.printf(
                "simulator: drive %.1f min %.3f mi %.4f kWh (SoC delta %.4f kWh) %.0f Wh/mi; charge %.1f min %.3f kWh"
                        + " %s peak %.2f kW mean %.2f kW SoC %.2f -> %.2f cost %.2f EUR%n",
                drive.durationS() / 60,
                drive.distanceMi(),
                drive.energyKwh(),
                socKwh,
                drive.whPerMi(),
                charge.durationS() / 60,
                charge.energyAddedKwh(),
                charge.kind(),
                charge.peakPowerKw(),
                charge.meanPowerKw(),
                charge.socFrom(),
                charge.socTo(),
                charge.cost());
        assertThat(drive.energyKwh()).isCloseTo(socKwh, within(socKwh * 0.01));
        assertThat(drive.distanceMi()).isGreaterThan(1);
        assertThat(drive.whPerMi()).isBetween(150.0, 450.0);

        assertThat(charge.startMs()).isGreaterThan(drive.endMs());
        assertThat(charge.kind()).isEqualTo("AC");
        assertThat(charge.socTo()).isGreaterThan(charge.socFrom());
        // grid energy: 92 % of it reaches the pack, less the parked load, so the pack's share is a bit lower
        double packKwh = (charge.socTo() - charge.socFrom()) / 100 * model.batteryKwh();
        assertThat(charge.energyAddedKwh() * 0.92).isCloseTo(packKwh, within(packKwh * 0.06));
        assertThat(charge.cost()).isCloseTo(charge.energyAddedKwh() * 0.30, within(1e-9));
        assertThat(charge.peakPowerKw()).isGreaterThan(charge.meanPowerKw());
    }
}
