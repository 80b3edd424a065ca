package io.fleetlog.codec.v2;

import io.fleetlog.catalog.Catalogue;
import io.fleetlog.codec.WireException;
import io.fleetlog.sample.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a server reconstructs from a generated connection ({@link FrameStreams}): sent through a
 * {@link FrameEncoder} and back through a {@link FrameDecoder}, omitted marks and predictions included.
 * Public for the storage tests of other packages (io.fleetlog.chunk).
 */
public final class ReconstructedStreams {

    private ReconstructedStreams() {}

    /** The decoded samples of a connection generated from {@code seed} over {@code c}. */
    public static List<Sample> generate(Catalogue c, long seed, int maxFrames) throws WireException {
        FrameStreams.Case k = FrameStreams.generate(c, seed, maxFrames);
        FrameEncoder encoder = new FrameEncoder(k.layout(), k.keyframeInterval());
        FrameDecoder decoder = new FrameDecoder(k.layout());
        List<Sample> out = new ArrayList<>();
        for (FrameStreams.Planned p : k.batches()) {
            DecodedFrames d = decoder.decode(
                    encoder.encode(p.firstSeq(), p.frames(), p.gap()).bytes());
            for (int i = 0; i < d.frames().size(); i++) {
                out.add(new Sample(d.firstSeq() + i, d.frames().get(i)));
            }
        }
        return out;
    }
}
