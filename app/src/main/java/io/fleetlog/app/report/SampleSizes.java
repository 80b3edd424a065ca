package io.fleetlog.app.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
import io.fleetlog.catalog.Catalogue;
import io.fleetlog.frame.Frame;
import io.fleetlog.sample.Sample;
import io.fleetlog.server.api.SignalValues;
import io.fleetlog.server.api.SignalValues.Selection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Counts, while a stream passes through, what the same frames cost as a naive logger would send them:
 * one length-delimited protobuf per frame with one datum per captured value (vin, seq and capture time,
 * then {@code repeated Datum {uint32 signal = 1; oneof value {double number = 2; sint64 integer = 3;
 * string text = 4; Location location = 5; bool unavailable = 6}}}, the shape of Tesla Fleet
 * Telemetry's payload), or one JSON object per frame as the API serves it.
 */
final class SampleSizes implements Iterator<Sample> {
    private final Iterator<Sample> in;
    private final String vin;
    private final Selection all;
    private long protobufBytes;
    private long jsonBytes;
    private final CountingOutputStream counter = new CountingOutputStream();
    private final JsonGenerator json;

    SampleSizes(Iterator<Sample> in, String vin, Catalogue catalogue) {
        this.in = in;
        this.vin = vin;
        this.all = Selection.all(catalogue);
        try {
            this.json = new JsonFactory().createGenerator(counter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        return in.hasNext();
    }

    @Override
    public Sample next() {
        Sample s = in.next();
        protobufBytes += protobufSize(vin, s);
        try {
            long before = counter.count;
            SignalValues.writeJson(json, all, s.seq(), s.frame());
            json.flush();
            jsonBytes += counter.count - before + 1; // + newline
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /** The naive protobuf of the class comment, length prefix included. */
    static int protobufSize(String vin, Sample s) {
        Frame f = s.frame();
        int size = CodedOutputStream.computeStringSize(1, vin)
                + CodedOutputStream.computeInt64Size(2, s.seq())
                + CodedOutputStream.computeInt64Size(3, f.timeMs());
        for (int i = 0; i < f.size(); i++) {
            int datum = CodedOutputStream.computeUInt32Size(1, f.id(i))
                    + switch (f.kind(i)) {
                        case NUMBER -> CodedOutputStream.computeDoubleSize(2, f.number(i));
                        case INTEGER -> CodedOutputStream.computeSInt64Size(3, f.integer(i));
                        case STRING -> CodedOutputStream.computeStringSize(4, f.string(i));
                        case POSITION -> CodedOutputStream.computeTagSize(5) + 1 + 18;
                        case UNAVAILABLE -> CodedOutputStream.computeBoolSize(6, true);
                    };
            size += CodedOutputStream.computeTagSize(4) + CodedOutputStream.computeUInt32SizeNoTag(datum) + datum;
        }
        return CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    long protobufBytes() {
        return protobufBytes;
    }

    long jsonBytes() {
        return jsonBytes;
    }

    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
