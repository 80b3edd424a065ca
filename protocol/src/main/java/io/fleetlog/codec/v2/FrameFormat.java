package io.fleetlog.codec.v2;

/**
 * Constants of the packed frame format (docs/codec.md): the flags byte that starts every frame,
 * and the limits shared by encoder and decoder.
 */
final class FrameFormat {
    /** A zigzag varint follows: the capture-time delta to the previous frame, ms (else: the previous delta). */
    static final int DT = 0x01;
    /** A captured bitmap over the layout follows (else: the previous frame's set; the first frame's: all). */
    static final int CAPTURED = 0x02;
    /** An unavailable bitmap over the captured signals follows. */
    static final int UNAVAILABLE = 0x04;
    /** A sent bitmap over the captured signals not flagged unavailable follows. */
    static final int SENT = 0x08;
    /** Every captured signal not flagged unavailable is sent (no bitmap). */
    static final int ALL_SENT = 0x10;

    static final int KNOWN_FLAGS = DT | CAPTURED | UNAVAILABLE | SENT | ALL_SENT;

    static final int ENVELOPE_BATCH_TAG = (3 << 3) | 2;

    /** Capture times outside [1990-01-01, 2200-01-01) are not believable (as in v1). */
    static final long MIN_TIME_MS = 631_152_000_000L;

    static final long MAX_TIME_MS = 7_258_118_400_000L;

    private FrameFormat() {}
}
