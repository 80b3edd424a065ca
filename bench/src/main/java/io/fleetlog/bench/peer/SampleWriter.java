package io.fleetlog.bench.peer;

import io.fleetlog.sample.Sample;
import java.util.List;

/** Where a receiving side commits samples: fleetlog's store, or nothing (count and check only). */
interface SampleWriter extends AutoCloseable {

    /** Commits {@code samples} of {@code vin} durably before returning (idempotent on seq). */
    void write(String vin, List<Sample> samples) throws Exception;

    /** One line for the docs: what the writer stores into. */
    String describe();

    @Override
    default void close() throws Exception {}

    /** Stores nothing: the subscriber only counts and checks seqs. */
    SampleWriter NONE = new SampleWriter() {
        @Override
        public void write(String vin, List<Sample> samples) {}

        @Override
        public String describe() {
            return "none (count and check only)";
        }
    };
}
