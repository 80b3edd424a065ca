package io.fleetlog.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Check digits below were computed independently (ISO 3779 / 49 CFR 565 transliteration and weights). */
class VinTest {

    @Test
    void realTeslaVinsWithCorrectCheckDigitsAreValid() {
        for (String vin : new String[] {
            "5YJ3E1EA2KF317000", // Model 3, 2019
            "5YJ3E1EAXJF000001", // check digit X
            "5YJYGDEE1MF000123", // Model Y
            "5YJSA1E28NF000777", // Model S
            "5YJXCAE28LF000002", // Model X
            "7SAYGDEE3PA000001", // Model Y, Austin
            "1M8GDM9AXKP042788" // the textbook example
        }) {
            assertThat(Vin.isValid(vin)).as(vin).isTrue();
            assertThat(Vin.check(vin)).isEqualTo(vin);
            assertThat(Vin.withCheckDigit(vin)).isEqualTo(vin);
        }
    }

    @Test
    void wrongCheckDigitIsNamed() {
        assertThat(Vin.checkDigit("5YJ3E1EA7KF317000")).isEqualTo('2');
        assertThatThrownBy(() -> Vin.check("5YJ3E1EA7KF317000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid VIN '5YJ3E1EA7KF317000': check digit is '7', expected '2'");
        assertThat(Vin.withCheckDigit("5YJ3E1EA7KF317000")).isEqualTo("5YJ3E1EA2KF317000");
    }

    @Test
    void maskedExportVinsAreRefusedWithAClearMessage() {
        assertThat(Vin.isValid("5YJ3E1EA1JFXXXXXX")).isFalse();
        assertThatThrownBy(() -> Vin.check("5YJ3E1EA1JFXXXXXX"))
                .hasMessageContaining("invalid VIN '5YJ3E1EA1JFXXXXXX'")
                .hasMessageContaining("looks masked")
                .hasMessageContaining("--vin");
    }

    @Test
    void lengthAndCharactersAreChecked() {
        assertThatThrownBy(() -> Vin.check("5YJ3E1EA2KF31700")).hasMessageContaining("this one has 16");
        assertThatThrownBy(() -> Vin.check(null)).hasMessageContaining("a VIN has 17 characters");
        assertThatThrownBy(() -> Vin.check("5YJ3E1EO2KF317000"))
                .hasMessageContaining("character 'O' at position 8 is not allowed");
        assertThatThrownBy(() -> Vin.check("5yj3E1EA2KF317000")).hasMessageContaining("character 'y' at position 2");
        assertThatThrownBy(() -> Vin.withCheckDigit("SHORT")).hasMessageContaining("'SHORT' has 5");
    }
}
