package io.fleetlog.server.store;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** Executors shared by store implementations. */
final class StoreThreads {
    /** A virtual thread per task: blocking JDBC calls park cheaply. */
    static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

    private StoreThreads() {}
}
