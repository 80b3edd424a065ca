package io.fleetlog.catalog;

/** True or false, always carried exactly (e.g. {@code Locked}). */
public record BooleanType() implements SignalType {

    @Override
    public String keyword() {
        return "boolean";
    }
}
