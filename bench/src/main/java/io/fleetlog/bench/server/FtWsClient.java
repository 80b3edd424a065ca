package io.fleetlog.bench.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal blocking WebSocket client over TLS (RFC 6455: the upgrade, masked binary frames out,
 * unmasked frames in), for benchmarking many cars on virtual threads without one HTTP client — and
 * its selector thread — per car certificate. One writer and one reader thread may use it at once.
 */
final class FtWsClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SSLSocket socket;
    private final OutputStream out;
    private final InputStream in;

    private FtWsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** Connects with {@code ssl} (the car's certificate), verifies the server as {@code host}, upgrades. */
    static FtWsClient connect(SSLContext ssl, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(host, port);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setTcpNoDelay(true);
        s.setSoTimeout(60_000);
        s.startHandshake();
        FtWsClient c = new FtWsClient(s);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String req =
                "GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";
        c.out.write(req.getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        String status = c.readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + status);
        }
        return c;
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int x = in.read();
            if (x < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            b.write(x);
            state = (x == '\r' && (state == 0 || state == 2)) || (x == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : 0;
            if (b.size() > 16 * 1024) {
                throw new IOException("upgrade response too long");
            }
        }
        String all = b.toString(StandardCharsets.US_ASCII);
        return all.substring(0, all.indexOf('\r'));
    }

    /** Sends one binary message (one masked frame). */
    void sendBinary(byte[] payload) throws IOException {
        int n = payload.length;
        byte[] head = new byte[14];
        int h = 0;
        head[h++] = (byte) 0x82; // FIN, binary
        if (n < 126) {
            head[h++] = (byte) (0x80 | n);
        } else if (n < 65_536) {
            head[h++] = (byte) (0x80 | 126);
            head[h++] = (byte) (n >>> 8);
            head[h++] = (byte) n;
        } else {
            head[h++] = (byte) (0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                head[h++] = (byte) (i >= 4 ? 0 : n >>> (8 * i));
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(m, 0, head, h, 4);
        h += 4;
        byte[] body = new byte[n];
        for (int i = 0; i < n; i++) {
            body[i] = (byte) (payload[i] ^ m[i & 3]);
        }
        synchronized (out) {
            out.write(head, 0, h);
            out.write(body);
            out.flush();
        }
    }

    /** The next binary message, or null when the server closed the connection. */
    byte[] readMessage() throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return null;
            }
            int opcode = b0 & 0x0f;
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (in.read() << 8) | in.read();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | in.read();
                }
            }
            if (len > 8 * 1024 * 1024) {
                throw new IOException("frame of " + len + " bytes");
            }
            byte[] data = in.readNBytes((int) len);
            if (data.length < len) {
                return null;
            }
            if (opcode == 8) {
                return null;
            }
            if (opcode == 9 || opcode == 10) {
                continue; // ping / pong: not used by the listener's replies
            }
            msg.write(data);
            if ((b0 & 0x80) != 0) {
                return msg.toByteArray();
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
