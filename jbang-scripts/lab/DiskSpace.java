package lab;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The free disk of a server's data folder, seen from this machine: known when the server runs here (an embedded
 * server, or a local one whose data folder this user may read), unknown otherwise (a container, another host, a
 * role that may not see data_directory), with the reason.
 */
public final class DiskSpace {
    private DiskSpace() {}

    /** A server's data folder: its file store and usable bytes, or why they cannot be told from here. */
    public record DataFolder(String node, Path path, FileStore store, long free, String unknown) {
        public boolean known() {
            return unknown == null;
        }
    }

    public static DataFolder of(Node node) {
        var row = node.run("generate/data_directory.sql").lastTable();
        String directory = row.rowCount() == 0 ? null : row.stringColumn("data_directory").get(0);
        String port = row.rowCount() == 0 ? "" : row.stringColumn("port").get(0);
        if (directory == null || directory.isEmpty()) {
            return unknown(node, "the server shows its data_directory only to superusers and pg_read_all_settings");
        }
        Path path = Path.of(directory);
        try {
            // The same folder on this machine, not one of that name elsewhere (a container's): its server's port.
            List<String> pid = Files.readAllLines(path.resolve("postmaster.pid"));
            if (pid.size() < 4 || !pid.get(3).trim().equals(port.trim())) {
                return unknown(node, "its data folder " + directory + " is not on this machine");
            }
            FileStore store = Files.getFileStore(path);
            return new DataFolder(node.name(), path, store, store.getUsableSpace(), null);
        } catch (IOException | SecurityException e) {
            return unknown(node, "its data folder " + directory + " is not on this machine or not readable here");
        }
    }

    private static DataFolder unknown(Node node, String why) {
        return new DataFolder(node.name(), null, null, -1, why);
    }

    /** 1536 -> "1.5 KiB"; bytes as people read them. */
    public static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
