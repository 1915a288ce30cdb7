package io.objstate.cli;

import static io.objstate.cli.CliFixture.run;
import static io.objstate.cli.CliFixture.shop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code objstate backup}: the copy dumps identically and verifies; bad destinations and open stores fail in one line. */
class BackupCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aBackupDumpsLikeTheOriginalAndPassesVerify() {
        Path dir = shop(tmp.resolve("s"), 30);
        Path dest = tmp.resolve("copy");
        CliFixture.Run r = run("backup", "--verify", dir.toString(), dest.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("backed up " + dir + " to " + dest + ": "), r.err());
        assertTrue(r.err().contains("verified " + dest), r.err());
        assertEquals("", r.out());
        assertEquals(run("dump", dir.toString()).out(), run("dump", dest.toString()).out());
        assertEquals(0, run("verify", dest.toString()).code());
    }

    @Test
    void aNonEmptyDestinationFailsInOneLineAndIsLeftAlone() throws Exception {
        Path dir = shop(tmp.resolve("s"), 3);
        Path dest = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(dest.resolve("x"), "x");
        CliFixture.Run r = run("backup", dir.toString(), dest.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(dest + ": backup failed (EXISTS)") && r.err().contains("not empty"), r.err());
        assertEquals("x", Files.readString(dest.resolve("x")));
    }

    @Test
    void missingDestinationArgumentIsAUsageError() {
        Path dir = shop(tmp.resolve("s"), 1);
        CliFixture.Run r = run("backup", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("DEST") && r.err().contains("objstate backup --help"), r.err());
    }

    @Test
    @SuppressWarnings("try") // the open runtime holds the lock; it is not otherwise used
    void aStoreOpenInAnApplicationIsLockedAndTheMessageNamesTheApiToUse() {
        Path dir = shop(tmp.resolve("s"), 1);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            CliFixture.Run r = run("backup", dir.toString(), tmp.resolve("copy").toString());
            assertEquals(2, r.code());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains("(LOCKED)") && r.err().contains("ObjectRuntime.backup(Path)"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("copy")), "nothing is created when the source cannot be opened");
    }
}
