package lab;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The password of the servers the lab starts itself (the roles {@code app} and {@code postgres}): generated once per
 * LAB_HOME and kept in {@code LAB_HOME/pgpass}, mode 0600, in libpq's .pgpass format, so that
 * {@code PGPASSFILE=LAB_HOME/pgpass psql ...} connects without anyone typing or seeing it. Whoever can read that file
 * (its owner, and root) can connect; nobody else on the machine can. The lab never prints it.
 */
final class LabPassword {
    private static final Map<Path, String> KNOWN = new HashMap<>();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private LabPassword() {}

    static Path file(Path labHome) {
        return labHome.resolve("pgpass");
    }

    /** The LAB_HOME's password, created on first use (two JVMs starting at once agree on one). */
    static synchronized String of(Path labHome) {
        Path file = file(labHome);
        String known = KNOWN.get(file);
        if (known != null) return known;
        try {
            if (!Files.exists(file)) create(file);
            ownerOnly(file);
            String password = read(file);
            KNOWN.put(file, password);
            return password;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the lab's password file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The psql command line that connects to a lab server, password from the file. */
    static String psqlLine(Path labHome, Dsn dsn) {
        return "PGPASSFILE=" + shellQuote(file(labHome).toString()) + " psql " + shellQuote(dsn.url(false));
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_/.:@=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // base64url has no ':' or '\', the two characters .pgpass would need escaped
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        StringBuilder lines = new StringBuilder();
        for (String host : List.of("localhost", "127.0.0.1", "::1")) {
            String h = host.replace(":", "\\:");
            for (String user : List.of(EmbeddedServer.USER, EmbeddedServer.SUPERUSER)) {
                lines.append(h).append(":*:*:").append(user).append(':').append(password).append('\n');
            }
        }
        Path tmp = Files.createTempFile(file.getParent(), ".pgpass", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, lines);
            // a hard link fails if the name exists: of two JVMs creating it at once, one wins and both read its file
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // the other JVM's password stands
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    private static String read(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split("(?<!\\\\):", 5);
            if (fields.length == 5 && fields[3].equals(EmbeddedServer.USER) && !fields[4].isEmpty()) return fields[4];
        }
        throw new IOException("it has no line for the user " + EmbeddedServer.USER
                + " (delete it only together with the servers: Servers.java reset --yes)");
    }
}
