package io.fleetlog.sim.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting TCP proxy on loopback: the vehicle's dead zone, made real so the uplink's
 * detection is exercised on real sockets.
 *
 * <p>Listens on {@code 127.0.0.1} (an ephemeral port, {@link #port()}) and forwards every connection
 * to the upstream {@code host:port}, counting the bytes forwarded each way (the wire bytes a benchmark
 * reports). {@link #cut(CutMode)} starts an outage — {@link CutMode#BLACKHOLE} stops all flow while
 * connections stay open, {@link CutMode#RESET} resets every connection — and {@link #restore()} ends
 * it. Thread-safe; one virtual thread per direction of each connection. {@link #close()} resets
 * everything and is idempotent.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final int BUFFER = 16 * 1024;
    private static final int PROBE_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition restored = lock.newCondition();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private volatile CutMode cut;
    private volatile boolean closed;

    private FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fault-proxy-accept-" + port()).start(this::acceptLoop);
    }

    /** Starts a proxy to {@code upstreamHost:upstreamPort}. */
    public static FaultProxy start(String upstreamHost, int upstreamPort) throws IOException {
        if (upstreamPort < 1 || upstreamPort > 65_535) {
            throw new IllegalArgumentException("upstream port " + upstreamPort + " is not a TCP port");
        }
        return new FaultProxy(upstreamHost, upstreamPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Cuts the link; a second cut changes the mode (RESET resets what a blackhole held). */
    public void cut(CutMode mode) {
        lock.lock();
        try {
            if (cut == null) {
                cuts.incrementAndGet();
            }
            cut = mode;
        } finally {
            lock.unlock();
        }
        log.info("proxy_cut port={} mode={} connections={}", port(), mode, links.size());
        if (mode == CutMode.RESET) {
            links.forEach(Link::reset);
        }
    }

    /** Ends the outage; traffic flows again. */
    public void restore() {
        lock.lock();
        try {
            if (cut == null) {
                return;
            }
            cut = null;
            restored.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("proxy_restored port={} connections={}", port(), links.size());
    }

    public boolean isCut() {
        return cut != null;
    }

    /** The current cut, or null. */
    public CutMode cutMode() {
        return cut;
    }

    /** Bytes forwarded from clients to the upstream. */
    public long bytesUpstream() {
        return bytesUp.get();
    }

    /** Bytes forwarded from the upstream to clients. */
    public long bytesDownstream() {
        return bytesDown.get();
    }

    public long connectionsAccepted() {
        return accepted.get();
    }

    /** Number of outages started. */
    public long cuts() {
        return cuts.get();
    }

    /** Open connections. */
    public int connections() {
        return links.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listening socket; nothing to recover
            log.debug("proxy_close_error port={} error={}", listener.getLocalPort(), e.getMessage());
        }
        restore();
        links.forEach(Link::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Link l = new Link(client);
                links.add(l);
                Thread.ofVirtual().name("fault-proxy-link").start(l::run);
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy_accept_failed port={} error={}", port(), e.getMessage());
                }
            }
        }
    }

    private static final int FLOW = 0;
    private static final int FLOW_AFTER_HOLD = 1;
    private static final int STOP = -1;

    /**
     * Blocks while a blackhole cut holds. Returns {@link #STOP} when the link must not go on (a RESET
     * cut, the proxy closed, or the link was reset), {@link #FLOW_AFTER_HOLD} after waiting out a
     * blackhole, else {@link #FLOW}.
     */
    private int awaitFlow(Link l) {
        lock.lock();
        try {
            boolean held = false;
            while (cut == CutMode.BLACKHOLE && !closed && !l.dead) {
                held = true;
                restored.awaitUninterruptibly();
            }
            if (cut == CutMode.RESET || closed || l.dead) {
                return STOP;
            }
            return held ? FLOW_AFTER_HOLD : FLOW;
        } finally {
            lock.unlock();
        }
    }

    /** One proxied connection. */
    private final class Link {
        final Socket client;
        volatile Socket upstream;
        volatile boolean dead;

        Link(Socket client) {
            this.client = client;
        }

        void run() {
            try {
                int flow = awaitFlow(this);
                if (flow == STOP || flow == FLOW_AFTER_HOLD && !probeAlive(new ByteArrayOutputStream())) {
                    reset();
                    return;
                }
                Socket up = new Socket();
                up.connect(new InetSocketAddress(upstreamHost, upstreamPort), CONNECT_TIMEOUT_MS);
                up.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream = up;
                if (dead) {
                    reset();
                    return;
                }
                Thread.ofVirtual().name("fault-proxy-down").start(() -> pump(up, client, bytesDown, false));
                pump(client, up, bytesUp, true);
            } catch (IOException e) {
                reset();
            }
        }

        /**
         * Forwards {@code from} to {@code to}. Bytes read while a blackhole holds are delivered after it
         * only if the client is still there ({@link #probeAlive}).
         */
        void pump(Socket from, Socket to, AtomicLong counter, boolean fromClient) {
            byte[] buf = new byte[BUFFER];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int before = awaitFlow(this);
                    if (before == STOP) {
                        reset();
                        return;
                    }
                    if (before == FLOW_AFTER_HOLD && fromClient) {
                        ByteArrayOutputStream queued = new ByteArrayOutputStream();
                        if (!probeAlive(queued)) {
                            reset();
                            return;
                        }
                        counter.addAndGet(queued.size());
                        queued.writeTo(out);
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    int after = awaitFlow(this);
                    if (after == STOP) {
                        reset();
                        return;
                    }
                    if (after == FLOW_AFTER_HOLD && fromClient) {
                        ByteArrayOutputStream more = new ByteArrayOutputStream();
                        if (!probeAlive(more)) {
                            reset();
                            return;
                        }
                        counter.addAndGet(n + more.size());
                        out.write(buf, 0, n);
                        more.writeTo(out);
                    } else {
                        counter.addAndGet(n);
                        out.write(buf, 0, n);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                reset();
            }
        }

        /**
         * After a blackhole: reads what the client queued meanwhile (into {@code into}) until it goes
         * quiet (alive) or closes (gone: its bytes died in the tunnel with it).
         */
        boolean probeAlive(ByteArrayOutputStream into) {
            byte[] buf = new byte[BUFFER];
            try {
                client.setSoTimeout(PROBE_MS);
                InputStream in = client.getInputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return false;
                    }
                    into.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                try {
                    client.setSoTimeout(0);
                    return true;
                } catch (SocketException ex) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }

        /** Closes both sides abruptly (RST). */
        void reset() {
            dead = true;
            links.remove(this);
            abort(client);
            Socket up = upstream;
            if (up != null) {
                abort(up);
            }
            lock.lock();
            try {
                restored.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void abort(Socket s) {
            try {
                if (!s.isClosed()) {
                    s.setSoLinger(true, 0);
                }
                s.close();
            } catch (IOException e) {
                // already gone
                log.trace("proxy_abort_error error={}", e.getMessage());
            }
        }
    }
}
