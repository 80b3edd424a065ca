package io.fleetlog.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where {@code edge} and {@code replay} get the vehicle's token (a picocli mixin): {@code
 * --token-file FILE} (its first non-empty line), else the environment variable {@value #ENV}. The
 * token never appears on the command line, where {@code ps} and shell history show it to every user:
 * {@code --token} is refused with a message naming the alternatives. With a client certificate
 * ({@code --client-cert}) the token is optional — the certificate authenticates the vehicle.
 */
public final class TokenSource {
    /** The environment variable holding the token when no {@code --token-file} is given. */
    public static final String ENV = "FLEETLOG_TOKEN";

    static final String REFUSED = "--token is not accepted: a token on the command line is visible to every user"
            + " (ps, shell history). Put it in a file readable only by you (chmod 600) and give --token-file FILE,"
            + " or set the environment variable " + ENV + ".";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the vehicle's token (first line; keep it mode 0600)."
                    + " Default: the environment variable " + ENV + ".")
    Path tokenFile;

    @Option(names = "--token", hidden = true, paramLabel = "TOKEN", description = "Refused: see --token-file.")
    void refuseTokenOnTheCommandLine(String ignored) {
        throw new CommandLine.ParameterException(spec.commandLine(), REFUSED);
    }

    /** The token for this run (see {@link #resolve(Path, Map, boolean)}) from the process environment. */
    String token(boolean certificateInstead) {
        String warning = looseMode(tokenFile);
        if (warning != null) {
            spec.commandLine().getErr().println("fleetlog " + spec.name() + ": warning: " + warning);
        }
        return resolve(tokenFile, System.getenv(), certificateInstead);
    }

    /** A warning when {@code file} is readable by group or others (POSIX only), else null. */
    static String looseMode(Path file) {
        if (file == null || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        try {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                return "--token-file " + file + " is readable by other users (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "): chmod 600 " + file;
            }
        } catch (IOException e) {
            return null; // resolve() reports an unreadable file
        }
        return null;
    }

    /**
     * The token: the first non-empty line of {@code file} when given, else {@code env[FLEETLOG_TOKEN]};
     * "" when neither and {@code optional} (a client certificate authenticates instead).
     *
     * @throws IllegalArgumentException when there is no token, or the file is unreadable or empty
     */
    static String resolve(Path file, Map<String, String> env, boolean optional) {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage(), e);
            }
            return text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--token-file " + file + " holds no token"));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        if (optional) {
            return "";
        }
        throw new IllegalArgumentException("no vehicle token: give --token-file FILE or set the environment variable "
                + ENV + " (or authenticate with --client-cert and --client-key)");
    }
}
