package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a PostgreSQL installation with Citus, and saying in one line why there is none (runs everywhere). */
class LocalInstallTest {
    @Test
    void aBinFolderWithoutPostgresIsNamedInTheReason(@TempDir Path empty) {
        System.setProperty("lab.pg.bin", empty.toString());
        try {
            LocalInstall.Found found = LocalInstall.find();
            assertTrue(found.install().isEmpty());
            assertEquals("LAB_PG_BIN=" + empty + ": no executable " + empty.resolve("pg_config"), found.whyNot());
        } finally {
            System.clearProperty("lab.pg.bin");
        }
    }

    @Test
    void withoutSettingsTheSearchFindsCitusOrSaysWhereItLooked() {
        LocalInstall.Found found = LocalInstall.find();
        if (found.install().isPresent()) {
            LocalInstall install = found.install().get();
            assertTrue(install.hasCitus() && Files.isExecutable(install.program("postgres")), install.toString());
        } else {
            assertTrue(found.whyNot().contains("LAB_PG_BIN") || found.whyNot().contains("LAB_PG_OS_USER"), found.whyNot());
            assertEquals(1, found.whyNot().lines().count(), found.whyNot());
        }
    }
}
