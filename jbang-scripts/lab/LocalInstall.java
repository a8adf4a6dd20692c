package lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL installation on this machine (its bin folder and library folder), the kind the lab runs the Citus
 * journey on when no container is at hand: named by {@code LAB_PG_BIN} (the folder holding {@code postgres},
 * {@code initdb}, {@code pg_ctl}) or {@code LAB_PG_CONFIG} (its {@code pg_config}), else found as {@code pg_config} on
 * PATH or under Debian's {@code /usr/lib/postgresql/<major>/bin}. PostgreSQL refuses to run as root, so when the lab runs
 * as root every server command runs as {@code LAB_PG_OS_USER} (default {@code postgres}) through {@code runuser}.
 */
public record LocalInstall(Path bin, Path libraries, Path extensions, String version, Optional<String> osUser) {

    /** The installation the settings name, or the first found that has Citus; empty with the reason otherwise. */
    public static Found find() {
        Found found = findInstallation();
        if (found.install().isEmpty()) return found;
        try {
            LocalInstall install = found.install().get();
            return new Found(Optional.of(new LocalInstall(install.bin, install.libraries, install.extensions, install.version,
                    osUserForRoot())), "");
        } catch (BadInput e) {
            return new Found(Optional.empty(), e.getMessage());
        }
    }

    private static Found findInstallation() {
        Optional<String> bin = Settings.get("LAB_PG_BIN");
        Optional<String> pgConfig = Settings.get("LAB_PG_CONFIG");
        if (bin.isPresent() || pgConfig.isPresent()) {
            Path config = pgConfig.map(Path::of).orElseGet(() -> Path.of(bin.get()).resolve("pg_config"));
            String source = pgConfig.isPresent() ? "LAB_PG_CONFIG=" + pgConfig.get() : "LAB_PG_BIN=" + bin.get();
            if (!Files.isExecutable(config)) return new Found(Optional.empty(), source + ": no executable " + config);
            LocalInstall install;
            try {
                install = read(config);
            } catch (IllegalStateException e) {
                return new Found(Optional.empty(), source + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            return install.hasCitus() ? new Found(Optional.of(install), "")
                    : new Found(Optional.empty(), source + " (PostgreSQL " + install.version + ") has no citus extension in " + install.libraries);
        }
        Set<String> seen = new LinkedHashSet<>(); // pg_config on PATH may be a Debian folder's too
        for (Path config : candidates()) {
            Optional<LocalInstall> install = readNoting(config, seen);
            if (install.isEmpty()) continue;
            if (install.get().hasCitus()) return new Found(install, "");
            seen.add("PostgreSQL " + install.get().version + " at " + install.get().bin);
        }
        return new Found(Optional.empty(), seen.isEmpty()
                ? "no local PostgreSQL installation (set LAB_PG_BIN to a bin folder of one with Citus)"
                : "no Citus in " + String.join(", ", seen) + " (set LAB_PG_BIN to an installation with Citus)");
    }

    /** The outcome of {@link #find()}: the installation, or why there is none (one line). */
    public record Found(Optional<LocalInstall> install, String whyNot) {}

    /**
     * The installation LAB_PG_BIN / LAB_PG_CONFIG names, else the first found (as {@link #find()} looks) that has the
     * extension (its library and control file), such as pg_cron from Debian's postgresql-15-cron; empty with the reason.
     */
    public static Found findWith(String extension) {
        Optional<String> bin = Settings.get("LAB_PG_BIN");
        Optional<String> pgConfig = Settings.get("LAB_PG_CONFIG");
        List<Path> configs = bin.isPresent() || pgConfig.isPresent()
                ? List.of(pgConfig.map(Path::of).orElseGet(() -> Path.of(bin.get()).resolve("pg_config"))) : candidates();
        Set<String> seen = new LinkedHashSet<>(); // pg_config on PATH may be a Debian folder's too
        for (Path config : configs) {
            if (!Files.isExecutable(config)) {
                seen.add("no executable " + config);
                continue;
            }
            LocalInstall install = readNoting(config, seen).orElse(null);
            if (install == null) continue;
            if (!install.hasExtension(extension)) {
                seen.add("PostgreSQL " + install.version + " at " + install.bin);
                continue;
            }
            try {
                return new Found(Optional.of(new LocalInstall(install.bin, install.libraries, install.extensions, install.version,
                        osUserForRoot())), "");
            } catch (BadInput e) {
                return new Found(Optional.empty(), e.getMessage());
            }
        }
        return new Found(Optional.empty(), seen.isEmpty() ? "no local PostgreSQL installation"
                : "no " + extension + " in " + String.join(", ", seen));
    }

    public boolean hasCitus() {
        return hasExtension("citus");
    }

    /** Whether the installation has the extension: its library and its control file. */
    public boolean hasExtension(String name) {
        return Files.isRegularFile(libraries.resolve(name + ".so")) && Files.isRegularFile(extensions.resolve(name + ".control"));
    }

    Path program(String name) {
        return bin.resolve(name);
    }

    /** Runs one of the installation's programs (as the OS user when we are root); its output, or an error with it. */
    String run(List<String> command, Path workingDir) {
        List<String> full = new ArrayList<>();
        osUser.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).directory(workingDir == null ? null : workingDir.toFile())
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 180 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
    }

    /** Whether this server knows a setting (output_plugin_libraries exists from PostgreSQL 15.19 on, not before). */
    boolean knowsSetting(String name) {
        return run(List.of(program("postgres").toString(), "--describe-config"), null).lines()
                .anyMatch(line -> line.startsWith(name + "\t"));
    }

    /** Hands a folder to the OS user the servers run as (nothing to do when we are not root). */
    void giveToOsUser(Path dir) {
        osUser.ifPresent(user -> {
            try {
                Process chown = new ProcessBuilder("chown", "-R", user, dir.toString()).redirectErrorStream(true).start();
                String out = new String(chown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (chown.waitFor() != 0) throw new IllegalStateException("chown -R " + user + " " + dir + ": " + out.strip());
            } catch (IOException e) {
                throw new IllegalStateException("cannot chown " + dir + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Whether the OS user can write in the folder (it must reach it through every parent: /root is closed to others). */
    boolean osUserCanWrite(Path dir) {
        if (osUser.isEmpty()) return Files.isWritable(dir);
        try {
            run(List.of("test", "-w", dir.toString(), "-a", "-x", dir.toString()), null);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The installation of that pg_config, or empty with why it is unusable added to what was seen. */
    private static Optional<LocalInstall> readNoting(Path config, Set<String> seen) {
        try {
            return Optional.of(read(config));
        } catch (IllegalStateException e) {
            seen.add(config + " (unusable: " + e.getMessage().lines().findFirst().orElse("") + ")");
            return Optional.empty();
        }
    }

    private static LocalInstall read(Path pgConfig) {
        try {
            Process p = new ProcessBuilder(pgConfig.toString(), "--bindir", "--pkglibdir", "--sharedir", "--version")
                    .redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (p.waitFor() != 0 || lines.size() < 4) throw new IllegalStateException(pgConfig + " failed: " + String.join(" ", lines));
            return new LocalInstall(Path.of(lines.get(0)), Path.of(lines.get(1)), Path.of(lines.get(2)).resolve("extension"),
                    lines.get(3).replaceFirst("^PostgreSQL ", "").replaceFirst(" .*", ""), Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + pgConfig + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** pg_config on PATH first, then Debian's per-major folders, newest first. */
    private static List<Path> candidates() {
        List<Path> found = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path config = Path.of(dir, "pg_config");
            if (Files.isExecutable(config)) {
                found.add(config);
                break;
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> majors = Files.list(debian)) {
                majors.map(m -> m.resolve("bin/pg_config")).filter(Files::isExecutable)
                        .sorted(Comparator.comparing((Path p) -> majorOf(p)).reversed()).forEach(found::add);
            } catch (IOException ignored) {
                // an unreadable folder is one place fewer to look
            }
        }
        return found;
    }

    private static int majorOf(Path pgConfig) {
        try {
            return Integer.parseInt(pgConfig.getParent().getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Root must hand the servers to another user: LAB_PG_OS_USER, else postgres if it exists. */
    private static Optional<String> osUserForRoot() {
        if (!"root".equals(System.getProperty("user.name"))) return Optional.empty();
        String user = Settings.get("LAB_PG_OS_USER", "postgres");
        try {
            Process id = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
            id.getInputStream().readAllBytes();
            if (id.waitFor() != 0) {
                throw new BadInput("running as root, PostgreSQL needs another OS user, and '" + user
                        + "' does not exist: set LAB_PG_OS_USER to one");
            }
        } catch (IOException e) {
            throw new BadInput("running as root, PostgreSQL needs another OS user, and `id` cannot check '" + user + "'");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(user);
    }
}
