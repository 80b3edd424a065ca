package io.fleetlog.logs.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void autoReadsIsoLikeAndUsDateTimes() {
        TimeFormat auto = TimeFormat.of("auto");
        assertThat(auto.toEpochMs("2024-03-10 13:34:28", LA, null)).isEqualTo(ms("2024-03-10T20:34:28Z"));
        assertThat(auto.toEpochMs("2024-01-10 13:34:28", LA, null)).isEqualTo(ms("2024-01-10T21:34:28Z"));
        assertThat(auto.toEpochMs("2021-03-14T12:34:56.789Z", LA, null)).isEqualTo(ms("2021-03-14T12:34:56.789Z"));
        assertThat(auto.toEpochMs("2021-03-14 12:34:56.789+00", LA, null)).isEqualTo(ms("2021-03-14T12:34:56.789Z"));
        assertThat(auto.toEpochMs("2021-03-14T14:34:56+02:00", LA, null)).isEqualTo(ms("2021-03-14T12:34:56Z"));
        assertThat(auto.toEpochMs("3/10/2024 1:34:28 PM", LA, null)).isEqualTo(ms("2024-03-10T20:34:28Z"));
        assertThat(auto.toEpochMs("3/10/2024 13:34", LA, null)).isEqualTo(ms("2024-03-10T20:34:00Z"));
        assertThatThrownBy(() -> auto.toEpochMs("yesterday", LA, null))
                .isInstanceOf(DateTimeException.class)
                .hasMessageStartingWith("'yesterday' is not a date-time");
    }

    @Test
    void overlapPrefersTheGivenOffsetAndTheGapMovesForward() {
        TimeFormat auto = TimeFormat.of("auto");
        assertThat(auto.toEpochMs("2024-11-03 01:30:00", LA, null)).isEqualTo(ms("2024-11-03T08:30:00Z"));
        assertThat(auto.toEpochMs("2024-11-03 01:30:00", LA, ZoneOffset.ofHours(-8)))
                .isEqualTo(ms("2024-11-03T09:30:00Z"));
        assertThat(auto.toEpochMs("2024-03-10 02:30:00", LA, null))
                .isEqualTo(ms("2024-03-10T10:30:00Z")); // = 03:30 PDT
    }

    @Test
    void epochAndPatterns() {
        assertThat(TimeFormat.of("epoch-s").toEpochMs("1700000000.25", LA, null))
                .isEqualTo(1_700_000_000_250L);
        assertThat(TimeFormat.of("epoch-ms").toEpochMs("1700000000250", LA, null))
                .isEqualTo(1_700_000_000_250L);
        assertThat(TimeFormat.of("dd.MM.uuuu HH:mm:ss").toEpochMs("10.03.2024 13:34:28", ZoneOffset.UTC, null))
                .isEqualTo(ms("2024-03-10T13:34:28Z"));
        assertThatThrownBy(() -> TimeFormat.of("epoch-s").toEpochMs("NaN", LA, null))
                .hasMessage("'NaN' is not epoch-s");
    }
}
