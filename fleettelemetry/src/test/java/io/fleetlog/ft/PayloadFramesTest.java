package io.fleetlog.ft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.Position;
import io.fleetlog.frame.Frame;
import io.fleetlog.ft.PayloadFrames.Problem;
import io.fleetlog.ft.proto.Datum;
import io.fleetlog.ft.proto.Doors;
import io.fleetlog.ft.proto.Field;
import io.fleetlog.ft.proto.LocationValue;
import io.fleetlog.ft.proto.Payload;
import io.fleetlog.ft.proto.Value;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PayloadFramesTest {
    private static final Catalogue CAT = Catalogue.builtin();
    private static final PayloadFrames PF = new PayloadFrames(CAT);
    private static final Timestamp T = Timestamp.newBuilder()
            .setSeconds(1_733_000_000L)
            .setNanos(250_000_000)
            .build();

    private static Datum d(Field f, Value v) {
        return Datum.newBuilder().setKey(f).setValue(v).build();
    }

    private static Datum d(int fieldNumber, Value v) {
        return Datum.newBuilder().setKeyValue(fieldNumber).setValue(v).build();
    }

    private static PayloadFrames.Result frameOf(Datum... data) throws FtFormatException {
        return PF.frame(Payload.newBuilder()
                .setCreatedAt(T)
                .setVin("5YJ3E1EA7JF000001")
                .addAllData(List.of(data))
                .build());
    }

    /** The single entry of signal {@code name} in a frame of one datum. */
    private static Frame one(Field f, Value v) throws FtFormatException {
        PayloadFrames.Result r = frameOf(d(f, v));
        assertThat(r.problems()).as("problems for %s", v).isEmpty();
        assertThat(r.frame().size()).isEqualTo(1);
        assertThat(r.frame().id(0)).isEqualTo(CAT.id(f.name()));
        return r.frame();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    @Test
    void timeIsCreatedAtInMilliseconds() throws Exception {
        assertThat(frameOf().frame().timeMs()).isEqualTo(1_733_000_000_250L);
        assertThatThrownBy(() -> PF.frame(Payload.getDefaultInstance()))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("no created_at");
        assertThatThrownBy(() -> PF.frame(Payload.newBuilder()
                        .setCreatedAt(Timestamp.newBuilder().setSeconds(-5))
                        .build()))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("-5");
    }

    @Test
    void stringAndNumberEncodingsOfAFloatGiveTheSameValue() throws Exception {
        Value[] same = {
            str("12.3"),
            str(" 12.30 "),
            Value.newBuilder().setFloatValue(12.3f).build(),
            Value.newBuilder().setDoubleValue(12.3).build()
        };
        for (Value v : same) {
            assertThat(one(Field.VehicleSpeed, v).number(0)).as("%s", v).isEqualTo(12.3);
        }
        assertThat(one(Field.VehicleSpeed, Value.newBuilder().setIntValue(12).build())
                        .number(0))
                .isEqualTo(12.0);
        assertThat(one(Field.Odometer, Value.newBuilder().setLongValue(123456).build())
                        .number(0))
                .isEqualTo(123456.0);
        assertThat(one(Field.Odometer, str("123456")).number(0)).isEqualTo(123456.0);
    }

    @Test
    void locationAsValueOrAsTextGivesTheSamePosition() throws Exception {
        Frame a = one(
                Field.Location,
                Value.newBuilder()
                        .setLocationValue(LocationValue.newBuilder()
                                .setLatitude(-37.412374)
                                .setLongitude(122.145867))
                        .build());
        Frame b = one(Field.Location, str("(37.412374 S, 122.145867 E)"));
        assertThat(a.position(0)).isEqualTo(new Position(-37.412374, 122.145867));
        assertThat(b.position(0)).isEqualTo(a.position(0));
        assertThat(one(Field.Location, str("(37.412374 N, 122.145867 W)")).position(0))
                .isEqualTo(new Position(37.412374, -122.145867));
    }

    @Test
    void shiftStateAsEnumNumberPrefixedNameOrBareNameGivesTheCatalogueCode() throws Exception {
        int d = 5; // ShiftStateD, and the built-in Gear's D
        for (Value v : new Value[] {
            Value.newBuilder().setShiftStateValue(5).build(),
            str("ShiftStateD"),
            str("D"),
            str("d"),
            Value.newBuilder().setIntValue(5).build()
        }) {
            assertThat(one(Field.Gear, v).integer(0)).as("%s", v).isEqualTo(d);
        }
    }

    @Test
    void chargeStatesMapByNumberAndName() throws Exception {
        for (Value v : new Value[] {
            Value.newBuilder().setDetailedChargeStateValue(4).build(),
            str("DetailedChargeStateCharging"),
            str("Charging")
        }) {
            assertThat(one(Field.DetailedChargeState, v).integer(0)).as("%s", v).isEqualTo(4);
        }
        assertThat(one(Field.ChargeState, Value.newBuilder().setChargingValue(1).build())
                        .integer(0))
                .isEqualTo(1);
        assertThat(one(Field.ChargeState, str("ChargeStateComplete")).integer(0))
                .isEqualTo(5);
        assertThat(one(Field.ChargePortLatch, str("ChargePortLatchEngaged")).integer(0))
                .isEqualTo(3);
    }

    @Test
    void booleansFromBooleansAndText() throws Exception {
        assertThat(one(Field.Locked, Value.newBuilder().setBooleanValue(true).build())
                        .integer(0))
                .isEqualTo(1);
        assertThat(one(Field.Locked, str("true")).integer(0)).isEqualTo(1);
        assertThat(one(Field.Locked, str("false")).integer(0)).isEqualTo(0);
    }

    @Test
    void stringsAndIntegers() throws Exception {
        assertThat(one(Field.Version, str("2024.26.3")).string(0)).isEqualTo("2024.26.3");
        assertThat(one(Field.ChargeLimitSoc, str("80")).integer(0)).isEqualTo(80);
        assertThat(one(
                                Field.ChargeLimitSoc,
                                Value.newBuilder().setDoubleValue(80.0).build())
                        .integer(0))
                .isEqualTo(80);
    }

    @Test
    void invalidMakesTheSignalUnavailable() throws Exception {
        Frame f = one(Field.Soc, Value.newBuilder().setInvalid(true).build());
        assertThat(f.kind(0)).isEqualTo(Frame.Kind.UNAVAILABLE);
    }

    @Test
    void doorsSetTheDoorStateSignals() throws Exception {
        PayloadFrames.Result r = frameOf(d(
                Field.DoorState,
                Value.newBuilder()
                        .setDoorValue(Doors.newBuilder().setDriverFront(true).setTrunkRear(true))
                        .build()));
        assertThat(r.problems()).isEmpty();
        Frame f = r.frame();
        assertThat(f.size()).isEqualTo(6);
        assertThat(f.integer(f.indexOf(CAT.id("DoorState.DriverFront")))).isEqualTo(1);
        assertThat(f.integer(f.indexOf(CAT.id("DoorState.TrunkRear")))).isEqualTo(1);
        assertThat(f.integer(f.indexOf(CAT.id("DoorState.PassengerRear")))).isEqualTo(0);
    }

    @Test
    void unknownFieldsAndFieldsWithoutASignalAreCountedNotStored() throws Exception {
        PayloadFrames.Result r = frameOf(
                d(999, str("1")),
                d(Field.BmsFullchargecomplete, str("true")),
                d(Field.Unknown, str("x")),
                d(Field.Soc, str("55.5")));
        assertThat(r.frame().size()).isEqualTo(1);
        assertThat(r.frame().number(0)).isEqualTo(55.5);
        assertThat(r.problemCount()).isEqualTo(3);
        assertThat(r.problems())
                .containsExactly(
                        new Problem(Problem.Kind.UNKNOWN_FIELD, "#999", "Field number 999 is unknown"),
                        new Problem(
                                Problem.Kind.NO_SIGNAL,
                                "BmsFullchargecomplete",
                                "no catalogue signal named BmsFullchargecomplete"),
                        new Problem(Problem.Kind.UNKNOWN_FIELD, "#0", "Field number 0 is unknown"));
    }

    @Test
    void valuesThatDoNotNormaliseAreCountedWithFieldAndValue() throws Exception {
        PayloadFrames.Result r = frameOf(
                d(Field.VehicleSpeed, str("fast")),
                d(Field.Soc, str("250")),
                d(Field.Gear, str("ShiftStateX")),
                d(Field.Locked, str("maybe")),
                d(Field.Location, str("somewhere")),
                d(Field.Location, str("(95 N, 10 E)")),
                d(Field.Odometer, Value.getDefaultInstance()),
                d(Field.VehicleSpeed, Value.newBuilder().setBooleanValue(true).build()),
                d(Field.Version, str("v".repeat(500))),
                d(Field.OutsideTemp, str("NaN")));
        assertThat(r.frame().isEmpty()).isTrue();
        assertThat(r.problemCount()).isEqualTo(10);
        assertThat(r.problems()).allMatch(p -> p.kind() == Problem.Kind.BAD_VALUE);
        assertThat(r.problems().get(0).field()).isEqualTo("VehicleSpeed");
        assertThat(r.problems().get(0).detail()).contains("\"fast\"");
        assertThat(r.problems().get(1).detail()).contains("range");
        assertThat(r.problems().get(2).detail()).contains("ShiftStateX").contains("P, R, N, D");
        assertThat(r.problems().get(5).detail()).contains("latitude 95.0");
        assertThat(r.problems().get(6).detail()).contains("no value");
        assertThat(r.problems().get(8).detail())
                .contains("longer than 64 bytes")
                .hasSizeLessThan(200);
        assertThat(r.problems().get(9).field()).isEqualTo("OutsideTemp");
    }

    @Test
    void aRepeatedSignalKeepsTheFirstValue() throws Exception {
        PayloadFrames.Result r = frameOf(d(Field.Soc, str("50")), d(Field.Soc, str("60")));
        assertThat(r.frame().number(0)).isEqualTo(50.0);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.REPEATED);
            assertThat(p.field()).isEqualTo("Soc");
        });
    }

    @Test
    void problemsAreBoundedButCounted() throws Exception {
        Payload.Builder p = Payload.newBuilder().setCreatedAt(T);
        for (int i = 0; i < 1000; i++) {
            p.addData(d(5000 + i, str("x")));
        }
        PayloadFrames.Result r = PF.frame(p.build());
        assertThat(r.problemCount()).isEqualTo(1000);
        assertThat(r.problems()).hasSize(PayloadFrames.MAX_PROBLEMS);
    }

    @Test
    void wholePathFromEnvelopeBytesToFrame() throws Exception {
        byte[] payload = Payload.newBuilder()
                .setCreatedAt(T)
                .setVin("5YJ3E1EA7JF000001")
                .setIsResend(true)
                .addData(d(Field.VehicleSpeed, str("61.25")))
                .addData(d(Field.Gear, Value.newBuilder().setShiftStateValue(5).build()))
                .addData(d(Field.Location, str("(37.412374 N, 122.145867 W)")))
                .build()
                .toByteArray();
        byte[] msg = TestFlatBuilder.streamEnvelope(
                "tx".getBytes(UTF_8),
                "V".getBytes(UTF_8),
                new byte[0],
                1_733_000_000L,
                "vehicle_device.5YJ3E1EA7JF000001".getBytes(UTF_8),
                payload,
                "vehicle_device".getBytes(UTF_8),
                "5YJ3E1EA7JF000001".getBytes(UTF_8),
                0);
        FtEnvelope e = FtEnvelope.parse(msg);
        Payload p = PayloadFrames.decode(e.requireStream().payload());
        assertThat(p.getIsResend()).isTrue();
        PayloadFrames.Result r = PF.frame(p);
        Frame expected = Frame.builder(1_733_000_000_250L)
                .number(CAT.id("VehicleSpeed"), 61.25)
                .integer(CAT.id("Gear"), 5)
                .position(CAT.id("Location"), 37.412374, -122.145867)
                .build();
        assertThat(r.frame()).isEqualTo(expected);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void undecodablePayloadIsATypedError() {
        assertThatThrownBy(() -> PayloadFrames.decode(new byte[] {10, 100, 1}))
                .isInstanceOf(FtFormatException.class)
                .hasMessageContaining("3 bytes");
    }

    @Property(tries = 3000)
    void randomPayloadBytesDecodeAndMapOrGiveATypedError(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            Payload p = PayloadFrames.decode(bytes);
            PF.frame(p.toBuilder().setCreatedAt(T).build());
        } catch (FtFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
