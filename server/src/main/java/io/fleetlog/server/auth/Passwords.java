package io.fleetlog.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format {@code
 * $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH} (salt and hash unpadded standard Base64), with the
 * parameters OWASP recommends (19 MiB of memory, 2 passes, 1 lane; a 16-byte random salt, a 32-byte
 * hash). A hash carries its own parameters, so stronger ones can be introduced without breaking
 * stored hashes.
 *
 * <p>At most {@link #CONCURRENT} hashes are computed at once (others wait): each costs 19 MiB, and a
 * burst of logins must not exhaust the heap. Thread-safe.
 */
public final class Passwords {
    /** Memory cost in KiB (19 MiB). */
    static final int MEMORY_KIB = 19 * 1024;

    static final int ITERATIONS = 2;
    static final int LANES = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Argon2 computations running at once, at most. */
    static final int CONCURRENT = 2;

    /** Shortest and longest password accepted (characters). */
    public static final int MIN_LENGTH = 8;

    public static final int MAX_LENGTH = 1024;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Semaphore SLOTS = new Semaphore(CONCURRENT, true);
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private Passwords() {}

    /**
     * Hashes {@code password} with a fresh salt.
     *
     * @throws IllegalArgumentException when the password is shorter than {@link #MIN_LENGTH} or longer
     *     than {@link #MAX_LENGTH} characters
     */
    public static String hash(char[] password) {
        checkLength(password);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = argon2(password, salt, MEMORY_KIB, ITERATIONS, LANES, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(h);
    }

    /** Validates a new password's length, naming the numbers. */
    public static void checkLength(char[] password) {
        if (password.length < MIN_LENGTH || password.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a password of " + password.length + " characters is outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
    }

    /** Whether {@code phc} is a hash this class can verify. */
    public static boolean isHash(String phc) {
        Matcher m = PHC.matcher(phc);
        return m.matches() && sane(m);
    }

    /** Parameters a stored hash may carry: at most 1 GiB, 100 passes, 16 lanes (a bad file cannot stall us). */
    private static boolean sane(Matcher m) {
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        return memory >= 8 * lanes
                && memory <= 1024 * 1024
                && iterations >= 1
                && iterations <= 100
                && lanes >= 1
                && lanes <= 16;
    }

    /** Compares {@code password} with a stored hash in time independent of where they differ. */
    public static boolean verify(char[] password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches() || !sane(m) || password.length > MAX_LENGTH) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = argon2(password, salt, memory, iterations, lanes, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** A valid hash of a random password, verified against for unknown users so they cost the same. */
    static String dummy() {
        char[] random = new char[24];
        for (int i = 0; i < random.length; i++) {
            random[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return hash(random);
    }

    private static byte[] argon2(char[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(p);
        byte[] out = new byte[length];
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] pw = new byte[encoded.remaining()];
        encoded.get(pw);
        java.util.Arrays.fill(encoded.array(), (byte) 0);
        SLOTS.acquireUninterruptibly();
        try {
            g.generateBytes(pw, out);
        } finally {
            SLOTS.release();
            java.util.Arrays.fill(pw, (byte) 0);
        }
        return out;
    }
}
