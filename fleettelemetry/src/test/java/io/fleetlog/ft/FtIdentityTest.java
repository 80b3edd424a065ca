package io.fleetlog.ft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.ft.FtIdentity.FtIdentityException;
import org.junit.jupiter.api.Test;

class FtIdentityTest {
    private static final String VIN = "5YJ3E1EA7JF000001";

    @Test
    void senderIdWithOrWithoutDeviceType() throws Exception {
        assertThat(FtIdentity.vinFromSenderId(("vehicle_device." + VIN).getBytes(UTF_8)))
                .isEqualTo(VIN);
        assertThat(FtIdentity.vinFromSenderId(VIN.getBytes(UTF_8))).isEqualTo(VIN);
        assertThat(FtIdentity.checkSender(VIN, ("vehicle_device." + VIN).getBytes(UTF_8)))
                .isEqualTo(VIN);
    }

    @Test
    void commonNameDotsBecomeDashes() {
        assertThat(FtIdentity.vinFromCommonName("device.abc")).isEqualTo("device-abc");
        assertThat(FtIdentity.vinFromCommonName(VIN)).isEqualTo(VIN);
    }

    @Test
    void anotherVinIsRefusedNamingBoth() {
        assertThatThrownBy(() -> FtIdentity.checkSender(VIN, "vehicle_device.5YJ3E1EA7JF000002".getBytes(UTF_8)))
                .isInstanceOf(FtIdentityException.class)
                .hasMessageContaining("5YJ3E1EA7JF000002")
                .hasMessageContaining(VIN);
        assertThatThrownBy(() -> FtIdentity.checkPayloadVin(VIN, "OTHER"))
                .isInstanceOf(FtIdentityException.class)
                .hasMessageContaining("OTHER");
    }

    @Test
    void emptyLongOrBinarySenderIdsAreRefused() throws Exception {
        FtIdentity.checkPayloadVin(VIN, "");
        assertThatThrownBy(() -> FtIdentity.vinFromSenderId(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> FtIdentity.vinFromSenderId(new byte[200])).hasMessageContaining("200 bytes");
        assertThatThrownBy(() -> FtIdentity.vinFromSenderId(new byte[] {'a', 0, 'b'}))
                .hasMessageContaining("\\x00");
        assertThatThrownBy(() -> FtIdentity.vinFromSenderId("vehicle_device.".getBytes(UTF_8)))
                .hasMessageContaining("no VIN");
    }
}
