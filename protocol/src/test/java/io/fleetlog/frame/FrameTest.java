package io.fleetlog.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameTest {
    @Test
    void entriesAreSortedByIdWhateverTheOrderTheyWereAddedIn() {
        Frame f = Frame.builder(5)
                .string(9, "v")
                .position(4, 1, 2)
                .number(1, 3.5)
                .unavailable(7)
                .bool(2, true)
                .build();
        assertThat(f.size()).isEqualTo(5);
        assertThat(new int[] {f.id(0), f.id(1), f.id(2), f.id(3), f.id(4)}).containsExactly(1, 2, 4, 7, 9);
        assertThat(f.number(0)).isEqualTo(3.5);
        assertThat(f.integer(1)).isEqualTo(1);
        assertThat(f.latitude(2)).isEqualTo(1);
        assertThat(f.longitude(2)).isEqualTo(2);
        assertThat(f.unavailable(3)).isTrue();
        assertThat(f.string(4)).isEqualTo("v");
        assertThat(f.indexOf(4)).isEqualTo(2);
        assertThat(f.indexOf(3)).isEqualTo(-1);
        assertThat(f)
                .isEqualTo(Frame.builder(5)
                        .number(1, 3.5)
                        .bool(2, true)
                        .position(4, 1, 2)
                        .unavailable(7)
                        .string(9, "v")
                        .build());
    }

    @Test
    void aRepeatedOrNegativeIdAndTheWrongAccessorAreRefused() {
        assertThatThrownBy(() ->
                        Frame.builder(5).number(3, 1).number(1, 1).integer(3, 2).build())
                .hasMessageContaining("signal 3 is set twice in one frame");
        assertThatThrownBy(() -> Frame.builder(5).number(-1, 1)).hasMessageContaining("signal id -1 is negative");
        Frame f = Frame.builder(5).number(1, 2).build();
        assertThatThrownBy(() -> f.integer(0)).hasMessageContaining("signal 1 holds NUMBER, not INTEGER");
    }

    @Test
    void omittedMarksAreKeptAndCanBeDropped() {
        Frame f = Frame.builder(5).number(1, 2).omitted().number(2, 3).build();
        assertThat(f.omitted(0)).isTrue();
        assertThat(f.omitted(1)).isFalse();
        assertThat(f).isNotEqualTo(Frame.builder(5).number(1, 2).number(2, 3).build());
        assertThat(f.withoutOmittedMarks())
                .isEqualTo(Frame.builder(5).number(1, 2).number(2, 3).build());
        assertThat(f.toString()).isEqualTo("Frame[t=5, 1=2.0~, 2=3.0]");
    }

    @Test
    void anOverlayKeepsTheNewestValueOfEverySignal() {
        Frame older =
                Frame.builder(10).number(1, 1.5).string(3, "old").integer(5, 2).build();
        Frame newer = Frame.builder(20)
                .unavailable(1)
                .bool(2, true)
                .integer(5, 4)
                .omitted()
                .build();
        Frame o = Frames.overlay(older, newer);
        assertThat(o)
                .isEqualTo(Frame.builder(20)
                        .unavailable(1)
                        .bool(2, true)
                        .string(3, "old")
                        .integer(5, 4)
                        .omitted()
                        .build());
        assertThat(Frames.overlay(null, newer)).isSameAs(newer);
        assertThat(Frames.overlay(newer, Frame.builder(30).build()).timeMs()).isEqualTo(30);
    }

    @Test
    void theLatestOfABatchIsTheOverlayFoldedOverIt() {
        java.util.List<Frame> batch = java.util.List.of(
                Frame.builder(1).number(1, 1).integer(7, 3).build(),
                Frame.builder(2).number(1, 2).build(),
                Frame.builder(3).number(1, 3).unavailable(4).build(),
                Frame.builder(4).number(1, 4).build());
        Frame folded = null;
        for (Frame f : batch) {
            folded = Frames.overlay(folded, f);
        }
        assertThat(Frames.latest(batch)).isEqualTo(folded);
        assertThat(Frames.latest(batch))
                .isEqualTo(Frame.builder(4)
                        .number(1, 4)
                        .unavailable(4)
                        .integer(7, 3)
                        .build());
        assertThat(Frames.latest(java.util.List.of())).isNull();
    }
}
