package io.fleetlog.edge;

import io.fleetlog.sample.Field;
import io.fleetlog.sample.Sample;

/**
 * The test servers' version of the real server's resend check: a resend of a stored seq is the same
 * sample when its capture time is equal and every value is within twice its field's default bound
 * (both are reconstructions of one captured value, each within the bound) plus a wire step.
 */
public final class SameSample {
    private SameSample() {}

    public static boolean same(Sample stored, Sample resent) {
        if (stored.captureTimeMs() != resent.captureTimeMs()) {
            return false;
        }
        for (Field f : Field.values()) {
            if (stored.available(f) != resent.available(f)) {
                return false;
            }
            if (stored.available(f)
                    && f.distance(stored.get(f), resent.get(f)) > 2 * f.defaultThreshold() + 1.0 / f.scale() + 1e-9) {
                return false;
            }
        }
        return true;
    }
}
