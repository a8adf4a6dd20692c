package lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The bearer token of the maintenance service ({@link MaintenanceService}). It comes from a file only its owner can
 * read, or from the environment ({@value #ENVIRONMENT}), never from the command line (which {@code ps} shows to every
 * user). It is compared in constant time and never printed: {@link #toString()} and {@link #source()} say where it
 * came from, not what it is.
 */
public final class ServiceToken {
    /** The environment variable (or .env line) the token may come from instead of a file. */
    public static final String ENVIRONMENT = "MAINTENANCE_API_TOKEN";
    /** Shorter tokens are guessable: 16 characters is 64 bits of hex, the least a bearer secret should carry. */
    static final int MIN_LENGTH = 16;

    private final byte[] secret;
    private final String source;

    private ServiceToken(String secret, String source) {
        String token = secret == null ? "" : secret.strip();
        if (token.length() < MIN_LENGTH) {
            throw new BadInput("the API token from " + source + " is " + (token.isEmpty() ? "empty" : "shorter than " + MIN_LENGTH
                    + " characters") + ": make one with `openssl rand -hex 32`");
        }
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new BadInput("the API token from " + source + " has a character a bearer header cannot carry (spaces, control "
                    + "characters or non-ASCII): make one with `openssl rand -hex 32`");
        }
        this.secret = token.getBytes(StandardCharsets.US_ASCII);
        this.source = source;
    }

    /** The token in a file that its owner alone may read (mode 0600 or 0400): a file others can read is refused. */
    public static ServiceToken fromFile(Path file) {
        String where = "file " + file;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                throw new BadInput("the token " + where + " can be read by other users: chmod 600 " + file);
            }
            return new ServiceToken(Files.readString(file, StandardCharsets.UTF_8), where);
        } catch (NoSuchFileException e) {
            throw new BadInput("no token " + where + ": create it with `openssl rand -hex 32 > " + file + " && chmod 600 " + file + "`");
        } catch (UnsupportedOperationException e) {
            throw new BadInput("cannot check who may read the token " + where + " (not a POSIX file system): use " + ENVIRONMENT);
        } catch (IOException e) {
            throw new BadInput("cannot read the token " + where + ": " + e.getMessage());
        }
    }

    /** The token from {@value #ENVIRONMENT}: the environment or the checkout's .env (not a -D property: see Settings#secret). */
    public static ServiceToken fromEnvironment() {
        String value = Settings.secret(ENVIRONMENT).orElseThrow(() -> new BadInput(
                "no API token: give --token-file FILE (readable by you only) or set " + ENVIRONMENT));
        return new ServiceToken(value, "environment " + ENVIRONMENT);
    }

    /** A token given by a program (a test, a lesson that made one with {@link #random()}). */
    public static ServiceToken of(String token) {
        return new ServiceToken(token, "the caller");
    }

    /** A fresh random token (256 bits, hex): what a lesson starts its own service with. */
    public static String random() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Where the token came from, for the start-up line: never the token. */
    public String source() {
        return source;
    }

    /** The presented token equals this one, compared in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        // digests first: equal lengths, so not even the token's length shows in the time taken
        return MessageDigest.isEqual(sha256(secret), sha256(presented.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * The {@code Authorization} header value a client sends with this token (the API benchmark's load): package-private,
     * for requests only, never to be printed or logged.
     */
    String authorization() {
        return "Bearer " + new String(secret, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "API token from " + source;
    }
}
