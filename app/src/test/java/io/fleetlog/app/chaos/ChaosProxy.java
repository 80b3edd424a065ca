package io.fleetlog.app.chaos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket-aware TCP proxy on loopback that breaks things on purpose, reproducibly from a seed.
 *
 * <p>It passes the HTTP upgrade through untouched, then forwards whole WebSocket frames, and per frame
 * may <em>duplicate</em> a binary data frame (the receiver sees the same message twice) or
 * <em>delay</em> it (order is kept: TCP cannot reorder). Duplicates go toward the server only (batches
 * arriving twice); delays go both ways. {@link #blackhole()} stops forwarding in both
 * directions while keeping the connections open (a tunnel: only a heartbeat timeout notices), {@link
 * #reset()} closes every connection abruptly, {@link #restore()} lets traffic flow again. Frames held
 * during a blackhole are delivered after restore if the connection survived. Thread-safe.
 */
public final class ChaosProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Random random;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final Object gate = new Object();
    private volatile boolean blackholed;
    private volatile boolean closed;
    private volatile double duplicateProbability;
    private volatile double delayProbability;
    private volatile int maxDelayMs = 150;

    public ChaosProxy(InetSocketAddress upstream, long seed) throws IOException {
        this.upstream = upstream;
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("chaos-accept-" + port()).start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Each binary frame is sent twice with probability {@code p}. */
    public ChaosProxy duplicate(double p) {
        this.duplicateProbability = p;
        return this;
    }

    /** Each frame waits up to {@code maxMs} with probability {@code p} (order preserved). */
    public ChaosProxy delay(double p, int maxMs) {
        this.delayProbability = p;
        this.maxDelayMs = maxMs;
        return this;
    }

    public void blackhole() {
        blackholed = true;
    }

    public void restore() {
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    public void reset() {
        resets.incrementAndGet();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    public long duplicatedFrames() {
        return duplicated.get();
    }

    public long delayedFrames() {
        return delayed.get();
    }

    public long resets() {
        return resets.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        reset();
        restore();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket up = new Socket();
                up.connect(upstream, 2_000);
                client.setTcpNoDelay(true);
                up.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(up);
                Thread.ofVirtual().start(() -> pump(client, up, true));
                Thread.ofVirtual().start(() -> pump(up, client, false));
            } catch (IOException e) {
                // Accept failed (closing, or the upstream refused): the client sees a closed socket,
                // which is the behaviour of a dead link; nothing else to do here.
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardServer) {
        try (from;
                to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            passHttpHeader(in, out);
            while (!closed) {
                byte[] frame = readFrame(in);
                awaitLink();
                int opcode = frame[0] & 0x0F;
                double r;
                synchronized (random) {
                    r = random.nextDouble();
                }
                if (r < delayProbability) {
                    delayed.incrementAndGet();
                    Thread.sleep(1 + (long) (r / Math.max(delayProbability, 1e-9) * maxDelayMs));
                }
                out.write(frame);
                synchronized (random) {
                    r = random.nextDouble();
                }
                if (towardServer && opcode == 0x2 && (frame[0] & 0x80) != 0 && r < duplicateProbability) {
                    duplicated.incrementAndGet();
                    out.write(frame);
                }
                out.flush();
            }
        } catch (IOException e) {
            // One side closed or was reset: closing both (try-with-resources) propagates it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitLink() throws InterruptedException {
        synchronized (gate) {
            while (blackholed && !closed) {
                gate.wait(100);
            }
        }
    }

    /** Copies bytes up to and including the blank line that ends the HTTP upgrade request/response. */
    private static void passHttpHeader(InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the HTTP upgrade");
            }
            out.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        out.flush();
    }

    /** Reads one whole WebSocket frame (header, extended length, mask, payload). */
    private static byte[] readFrame(InputStream in) throws IOException {
        byte[] head = in.readNBytes(2);
        if (head.length < 2) {
            throw new EOFException();
        }
        int len7 = head[1] & 0x7F;
        boolean masked = (head[1] & 0x80) != 0;
        int extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        byte[] ext = in.readNBytes(extra);
        long len = len7;
        if (extra > 0) {
            len = 0;
            for (byte b : ext) {
                len = (len << 8) | (b & 0xFF);
            }
        }
        if (len > 64L * 1024 * 1024) {
            throw new IOException("frame of " + len + " bytes is beyond this proxy's limit");
        }
        int headerLen = 2 + extra + (masked ? 4 : 0);
        byte[] frame = new byte[headerLen + (int) len];
        frame[0] = head[0];
        frame[1] = head[1];
        System.arraycopy(ext, 0, frame, 2, extra);
        int rest = frame.length - 2 - extra;
        if (in.readNBytes(frame, 2 + extra, rest) < rest) {
            throw new EOFException();
        }
        return frame;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing a socket that is already broken: nothing to recover.
        }
    }
}
