package io.fleetlog.logs.dbc;

/** A signal's role in a multiplexed message. */
public enum Multiplex {
    /** A plain signal, present in every frame of its message. */
    NONE,
    /** {@code M}: the signal whose raw value selects the multiplexed signals of a frame. */
    MULTIPLEXOR,
    /** {@code mN}: present only in frames where the multiplexor's raw value is N. */
    MULTIPLEXED
}
