package io.fleetlog.app.demo;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.edge.AgentStats;
import io.fleetlog.edge.uplink.LinkState;
import io.fleetlog.frame.Frame;
import io.fleetlog.frame.Frames;
import io.fleetlog.ft.client.FramePayloads;
import io.fleetlog.ft.client.FtCar;
import io.fleetlog.sample.Sample;
import io.fleetlog.sim.drive.DriveSimulator;
import io.fleetlog.sim.drive.VehicleModel;
import io.fleetlog.sim.proxy.OutageSchedule;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated Tesla of the demo that speaks Fleet Telemetry to the server's listener over mutual TLS
 * (issue 15, item 5): its drive simulator runs at 50 Hz; every second of capture time it sends one
 * record holding the Fleet Telemetry fields whose value changed since its last record (on change, no
 * more often than the interval, as a configured car does), typed or as strings at random, with
 * locations at 6 decimals as the car's GPS gives them. It meets its dead zones offline (records wait
 * in the car), drops its connection now and then, and resends whatever was not acked.
 *
 * <p>What it sent is kept (a few hundred records per 10 minutes) for the continuity report: the
 * server numbers a Fleet Telemetry car's frames itself, so the k-th record is expected as seq
 * {@code firstSeq + k}.
 */
final class FtDemoCar {
    static final long INTERVAL_MS = 1000;

    final int index;
    final String vin;
    final String name;
    final long seed;
    final OutageSchedule outages;
    final long firstSeq;
    private final Catalogue catalogue = Catalogue.builtin();
    private final FramePayloads payloads = new FramePayloads(catalogue);
    private final List<Frame> sent = new ArrayList<>();
    private FtCar car;
    private Thread driver;
    private volatile boolean stop;
    private volatile boolean done;
    private long startMs;
    private long peakPending;
    private long bytes;
    private long outageCount;
    private double outageSeconds;

    FtDemoCar(int index, String vin, String name, long seed, OutageSchedule outages, long firstSeq) {
        this.index = index;
        this.vin = vin;
        this.name = name;
        this.seed = seed;
        this.outages = outages;
        this.firstSeq = firstSeq;
    }

    /** Starts the car's drive of {@code duration} (null: endless) at {@code speed} × real time. */
    void start(URI listener, HttpClient http, long startMs, Duration duration, double speed, Duration minOutageWall) {
        this.startMs = startMs;
        car = new FtCar(vin, listener, http, 8, Duration.ofSeconds(30), null);
        car.start();
        driver = Thread.ofVirtual()
                .name("ft-demo-" + vin)
                .start(() ->
                        drive(new DriveSimulator(VehicleModel.MODEL3, seed, startMs, duration), speed, minOutageWall));
    }

    private void drive(DriveSimulator sim, double speed, Duration minOutageWall) {
        SplittableRandom rng = new SplittableRandom(seed);
        long wall0 = System.nanoTime();
        Frame latest = null;
        Frame lastSent = null;
        long nextRecordMs = startMs;
        boolean offline = false;
        long nextDrop = 100 + rng.nextInt(200);
        try {
            Sample s;
            while (!stop && (s = sim.next()) != null) {
                Frame f = s.frame();
                if (!Double.isInfinite(speed)) {
                    long dueNanos = wall0 + (long) ((f.timeMs() - startMs) * 1e6 / speed);
                    long wait = dueNanos - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                latest = Frames.overlay(latest, f);
                double at = (f.timeMs() - startMs) / 1000.0;
                boolean inZone = outages.at(at).isPresent();
                if (inZone != offline) {
                    offline = inZone;
                    if (inZone) {
                        outageCount++;
                        outageSeconds += outages.at(at).get().seconds();
                        car.online(false);
                    } else {
                        if (Double.isInfinite(speed) || speed > 20) {
                            Thread.sleep(minOutageWall.toMillis()); // a dead zone lasts in wall time too
                        }
                        car.online(true);
                    }
                }
                if (f.timeMs() < nextRecordMs) {
                    continue;
                }
                nextRecordMs = f.timeMs() + INTERVAL_MS;
                Frame record = changed(latest, lastSent);
                if (record.isEmpty()) {
                    continue;
                }
                lastSent = Frames.overlay(lastSent, record);
                FramePayloads.Style style = rng.nextBoolean() ? FramePayloads.Style.TYPED : FramePayloads.Style.STRINGS;
                byte[] payload = payloads.payload(vin, record, style, false).toByteArray();
                synchronized (this) {
                    sent.add(record);
                    bytes += payload.length;
                    peakPending = Math.max(peakPending, car.pending() + 1L);
                }
                car.submit("V", payload, record.timeMs());
                if (!offline && sent.size() >= nextDrop) {
                    car.drop(); // a lost link: the car reconnects and resends what was not acked
                    nextDrop = sent.size() + 100 + rng.nextInt(200);
                }
            }
            if (offline) {
                car.online(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
        }
    }

    /**
     * The record: at the newest frame's time, every sent signal of {@code latest} whose entry differs
     * from {@code lastSent} (locations at 6 decimals).
     */
    private Frame changed(Frame latest, Frame lastSent) {
        Frame.Builder b = Frame.builder(latest.timeMs(), latest.size());
        for (int i = 0; i < latest.size(); i++) {
            int id = latest.id(i);
            if (!payloads.sent(id) || latest.omitted(i)) {
                continue;
            }
            Frame.Builder one = Frame.builder(latest.timeMs(), 1);
            if (latest.kind(i) == Frame.Kind.POSITION) {
                one.position(id, micro(latest.latitude(i)), micro(latest.longitude(i)));
            } else {
                Frames.copy(one, latest, i);
            }
            Frame candidate = one.build();
            int j = lastSent == null ? -1 : lastSent.indexOf(id);
            if (j >= 0 && Frames.retimed(candidate, lastSent.timeMs()).equals(single(lastSent, j))) {
                continue;
            }
            Frames.copy(b, candidate, 0);
        }
        return b.build();
    }

    private static Frame single(Frame f, int i) {
        Frame.Builder b = Frame.builder(f.timeMs(), 1);
        Frames.copy(b, f, i);
        return b.build();
    }

    private static double micro(double deg) {
        return Math.round(deg * 1e6) / 1e6;
    }

    /** Whether the drive ended (or was stopped) and every record was acked. */
    boolean finished() {
        return done && car.pending() == 0;
    }

    /** Stops the drive and waits up to {@code drain} for the car's acks, then closes its connection. */
    void stop(Duration drain) {
        stop = true;
        try {
            if (driver != null) {
                driver.join();
            }
            car.awaitAcked(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        car.close();
    }

    /** The records sent, as the samples the store should hold. */
    synchronized Iterator<Sample> captured() {
        List<Sample> out = new ArrayList<>(sent.size());
        for (int k = 0; k < sent.size(); k++) {
            out.add(new Sample(firstSeq + k, sent.get(k)));
        }
        return out.iterator();
    }

    long firstCaptureMs() {
        return startMs;
    }

    /** The car's run in the edge's terms, for the report's table. */
    synchronized AgentStats stats() {
        FtCar.Stats c = car.stats();
        long n = sent.size();
        return new AgentStats(
                vin,
                name,
                "fleet-telemetry",
                n,
                n == 0 ? 0 : sent.get(0).timeMs(),
                n == 0 ? 0 : sent.get((int) n - 1).timeMs(),
                done && car.pending() == 0 ? LinkState.OFFLINE : LinkState.ONLINE,
                car.pending(),
                peakPending,
                0,
                firstSeq + n,
                firstSeq + c.acked() - 1,
                outageCount,
                outageSeconds,
                false,
                c.connects(),
                Math.max(0, c.connects() - 1),
                0,
                bytes,
                bytes,
                c.sends(),
                c.errors(),
                0,
                0,
                done,
                0,
                0,
                0);
    }
}
