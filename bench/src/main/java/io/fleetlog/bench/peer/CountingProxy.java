package io.fleetlog.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte-counting TCP proxy on 127.0.0.1 (port 0) in front of {@code 127.0.0.1:targetPort}, with a
 * RESET-style dead zone: {@link #cut()} closes every live connection and closes new ones at once
 * until {@link #restore()}.
 *
 * <p>Counts TCP payload bytes in each direction (what the applications wrote, not TCP/IP headers).
 * Thread-safe. One virtual thread per direction per connection; {@link #close()} stops everything
 * and is idempotent.
 */
final class CountingProxy implements Link {

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean closed;

    CountingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void cut() {
        cut = true;
        live.forEach(CountingProxy::closeQuietly);
        live.clear();
    }

    @Override
    public void restore() {
        cut = false;
    }

    @Override
    public long bytesUp() {
        return up.get();
    }

    @Override
    public long bytesDown() {
        return down.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cut();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                live.add(client);
                live.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, up));
                Thread.ofVirtual().start(() -> pump(upstream, client, down));
            } catch (IOException e) {
                // Accept failed because the proxy closed, or the target refused one connection:
                // the client sees a closed connection and retries; nothing else to do here.
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (cut) {
                    break;
                }
                out.write(buf, 0, n);
                counter.addAndGet(n);
            }
        } catch (IOException e) {
            // The connection was reset (cut) or closed by either side: close the pair below.
        } finally {
            live.remove(from);
            live.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing a socket that is already broken: nothing to recover.
        }
    }
}
