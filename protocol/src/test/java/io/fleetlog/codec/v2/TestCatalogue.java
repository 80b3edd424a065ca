package io.fleetlog.codec.v2;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.catalog.CatalogueFormat;
import io.fleetlog.catalog.CatalogueFormatException;

/** A small catalogue of every type, for hand-made frames and batches. */
final class TestCatalogue {
    static final int SPEED = 0;
    static final int HEADING = 1;
    static final int GEAR = 2;
    static final int LOCKED = 3;
    static final int VERSION = 4;
    static final int LOC = 5;
    static final int COUNT = 6;
    static final int TRAILER = 7;

    static final Catalogue CATALOGUE;

    static {
        try {
            CATALOGUE = CatalogueFormat.parse("""
                    Speed    float    unit=mph resolution=0.01 range=-500..500 bound=2
                    Heading  float    unit=deg resolution=0.01 range=-1000000..1000000 bound=5 circular
                    Gear     enum     values=P:2,R:3,N:4,D:5,Max:2147483647
                    Locked   boolean
                    Version  string   maxlength=8
                    Loc      location resolution=0.0000001 bound=0
                    Count    integer  range=-9007199254740991..9007199254740991
                    Trailer  location resolution=0.000001 bound=5
                    """, "test.catalog");
        } catch (CatalogueFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    static final FrameLayout ALL = FrameLayout.all(CATALOGUE);

    private TestCatalogue() {}
}
