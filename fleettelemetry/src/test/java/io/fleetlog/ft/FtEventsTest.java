package io.fleetlog.ft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.fleetlog.ft.proto.ConnectivityEvent;
import io.fleetlog.ft.proto.VehicleAlert;
import io.fleetlog.ft.proto.VehicleAlerts;
import io.fleetlog.ft.proto.VehicleConnectivity;
import io.fleetlog.ft.proto.VehicleError;
import io.fleetlog.ft.proto.VehicleErrors;
import org.junit.jupiter.api.Test;

/** Alerts, errors and connectivity records as bounded, printable events. */
class FtEventsTest {
    private static final String VIN = "5YJ3E1EA0KF000001";

    private static Timestamp ts(long s) {
        return Timestamp.newBuilder().setSeconds(s).build();
    }

    @Test
    void alertsTakeTheirStartOrTheRecordsTimeAndAreCutAtTheLimit() throws Exception {
        VehicleAlerts.Builder b = VehicleAlerts.newBuilder().setVin(VIN).setCreatedAt(ts(1000));
        for (int i = 0; i < FtEvents.MAX_EVENTS + 5; i++) {
            VehicleAlert.Builder a = VehicleAlert.newBuilder().setName("A" + i);
            if (i == 0) {
                a.setStartedAt(ts(900));
            }
            b.addAlerts(a);
        }
        FtEvents.Decoded d = FtEvents.decode("alerts", b.build().toByteArray(), VIN);
        assertThat(d.events()).hasSize(FtEvents.MAX_EVENTS);
        assertThat(d.dropped()).isEqualTo(5);
        assertThat(d.events().get(0).tMs()).isEqualTo(900_000);
        assertThat(d.events().get(1).tMs()).isEqualTo(1_000_000); // no started_at: the record's time
        assertThat(d.events().get(1).detail()).isEqualTo("alert A1, active");
    }

    @Test
    void carTextIsEscapedAndBounded() throws Exception {
        VehicleErrors e = VehicleErrors.newBuilder()
                .setVin(VIN)
                .addErrors(VehicleError.newBuilder()
                        .setCreatedAt(ts(5))
                        .setName("bad\nname\u001b[31m")
                        .setBody("b".repeat(5000))
                        .putTags("k".repeat(300), "v"))
                .build();
        FtEvents.Event ev =
                FtEvents.decode("errors", e.toByteArray(), VIN).events().get(0);
        assertThat(ev.detail()).startsWith("error bad\\u000aname\\u001b[31m: bbb");
        assertThat(ev.detail()).doesNotContain("\n").doesNotContain("\u001b");
        assertThat(ev.detail().length()).isLessThanOrEqualTo(FtEvents.MAX_DETAIL);
        assertThat(ev.kind()).isEqualTo(FtEvents.Kind.ERROR);
    }

    @Test
    void connectivityAndRefusals() throws Exception {
        byte[] c = VehicleConnectivity.newBuilder()
                .setVin(VIN)
                .setStatus(ConnectivityEvent.CONNECTIVITY_DISCONNECTED)
                .setNetworkInterface("cellular")
                .setCreatedAt(ts(7))
                .build()
                .toByteArray();
        FtEvents.Event ev = FtEvents.decode("connectivity", c, VIN).events().get(0);
        assertThat(ev.detail()).isEqualTo("connectivity disconnected over cellular");
        assertThat(ev.tMs()).isEqualTo(7000);
        // another VIN, no time, garbage
        assertThatThrownBy(() -> FtEvents.decode(
                        "alerts",
                        VehicleAlerts.newBuilder()
                                .setVin("5YJ3E1EA0KF000002")
                                .build()
                                .toByteArray(),
                        VIN))
                .isInstanceOf(FtIdentity.FtIdentityException.class);
        assertThatThrownBy(() -> FtEvents.decode(
                        "errors",
                        VehicleErrors.newBuilder()
                                .addErrors(VehicleError.newBuilder().setName("x"))
                                .build()
                                .toByteArray(),
                        VIN))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("no created_at");
        assertThatThrownBy(() -> FtEvents.decode("connectivity", new byte[] {(byte) 0xff, 0x01}, VIN))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("does not decode");
    }
}
