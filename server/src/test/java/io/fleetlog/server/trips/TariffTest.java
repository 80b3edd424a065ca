package io.fleetlog.server.trips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TariffTest {
    static final long MIDNIGHT_UTC = 1_764_115_200_000L; // 2025-11-26T00:00:00Z
    static final long HOUR = 3_600_000;

    @Test
    void theFirstMatchingRateWinsByPlaceAndTimeOfDayInTheTariffsZone() {
        Tariff t = Tariff.parse("""
                # home is cheap at night (Berlin time), the office is free, elsewhere 0.59
                currency EUR
                zone Europe/Berlin
                rate 0.12 at 52.52,13.405 within 300 from 22:00 to 06:00
                rate 0.30 at 52.52,13.405 within 300
                rate 0 at 52.50,13.30 within 100
                rate 0.59
                """, "home.tariff");
        assertThat(t.currency()).isEqualTo("EUR");
        // 23:30 UTC is 00:30 in Berlin (CET): the night window across midnight
        assertThat(t.price(MIDNIGHT_UTC - HOUR / 2, 52.5201, 13.4051)).isEqualTo(0.12);
        assertThat(t.price(MIDNIGHT_UTC + 12 * HOUR, 52.5201, 13.4051)).isEqualTo(0.30);
        assertThat(t.price(MIDNIGHT_UTC + 12 * HOUR, 52.50, 13.30)).isEqualTo(0.0);
        assertThat(t.price(MIDNIGHT_UTC + 12 * HOUR, 48.1, 11.6)).isEqualTo(0.59);
        assertThat(t.price(MIDNIGHT_UTC, Double.NaN, Double.NaN)).isEqualTo(0.59); // place unknown
        assertThat(Tariff.flat(0.25, "USD").price(MIDNIGHT_UTC, 0, 0)).isEqualTo(0.25);
        assertThat(Tariff.NONE.price(MIDNIGHT_UTC, 0, 0)).isNaN();
    }

    @Test
    void mistakesNameTheFileLineAndWhat() {
        assertThatThrownBy(() -> Tariff.parse("currency EUR\nrate abc\n", "t.tariff"))
                .hasMessage("t.tariff:2: price 'abc' is not a number");
        assertThatThrownBy(() -> Tariff.parse("currency EUR\nrate 0.3 from 25:00 to 06:00\n", "t.tariff"))
                .hasMessage("t.tariff:2: time '25:00' is not HH:MM");
        assertThatThrownBy(() -> Tariff.parse("currency EUR\nrate -1\n", "t.tariff"))
                .hasMessageStartingWith("t.tariff:2: price -1.0 must be");
        assertThatThrownBy(() -> Tariff.parse("currency EUR\nrate 0.3 at 95,13 within 10\n", "t.tariff"))
                .hasMessageContaining("outside lat ±90");
        assertThatThrownBy(() -> Tariff.parse("currency EUR\nprice 0.3\n", "t.tariff"))
                .hasMessageStartingWith("t.tariff:2: unknown keyword 'price'");
        assertThatThrownBy(() -> Tariff.parse("rate 0.3\n", "t.tariff")).hasMessage("t.tariff: no currency line");
        assertThatThrownBy(() -> Tariff.parse("currency EUR\n", "t.tariff")).hasMessage("t.tariff: no rate line");
    }
}
