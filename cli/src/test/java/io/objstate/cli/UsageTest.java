package io.objstate.cli;

import static io.objstate.cli.CliFixture.run;
import static io.objstate.cli.CliFixture.shop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.ObjectRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments and unusable directories: one line on stderr, exit code 2, nothing on stdout. */
class UsageTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(CliFixture.Run r, String expectedPart) {
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("objstate: "), r.err());
        assertTrue(r.err().contains(expectedPart), r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|missing command",
        "frob|Unmatched argument at index 0: 'frob'",
        "stat|Missing required parameter: 'DIR'",
        "ls /x|Missing required parameter: 'CLASS'",
        "get /x shop.Item|Missing required parameter: 'ID'",
        "stat /x --bogus|Unknown option: '--bogus'",
        "ls /x C --prefix|Missing required parameter for option '--prefix'",
        "export /x|Missing required parameter: 'FILE'",
        "verify /x /y|Unmatched argument",
    })
    void badArgumentsAreOneLineAndExitTwo(String args, String message) {
        String[] argv = args == null ? new String[0] : args.split(" ");
        assertOneLineError(run(argv), message);
    }

    @Test
    void helpListsEveryCommand() {
        CliFixture.Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"stat", "ls", "get", "dump", "verify", "compact", "export", "import"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " missing from\n" + r.out());
        }
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = tmp.resolve("nope");
        for (String command : new String[] {"stat", "verify", "compact", "dump"}) {
            assertOneLineError(run(command, missing.toString()), missing + ": no such directory");
        }
        assertTrue(!Files.exists(missing), "read commands never create a store");
    }

    @Test
    void aDirectoryWithoutAStoreIsNotMistakenForAnEmptyStore() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertOneLineError(run("stat", empty.toString()), empty + ": not an objstate store");
    }

    @Test
    @SuppressWarnings("try") // the open runtime holds the lock; it is not otherwise used
    void aStoreHeldByAnApplicationIsReportedAsLocked() {
        Path dir = shop(tmp.resolve("s"), 1);
        try (ObjectRuntime rt = ObjectRuntime.open(dir)) {
            assertOneLineError(run("stat", dir.toString()), dir + ": cannot open the store (LOCKED)");
            assertOneLineError(run("verify", dir.toString()), "(LOCKED)");
        }
        assertEquals(0, run("stat", dir.toString()).code());
    }

    @Test
    void progressBarGoesToStderrAndLeavesStdoutClean() {
        Path dir = shop(tmp.resolve("s"), 5);
        CliFixture.Run plain = run("dump", dir.toString());
        CliFixture.Run withBar = run("--progress", "dump", dir.toString());
        assertEquals(0, withBar.code(), withBar.err());
        assertEquals(plain.out(), withBar.out());
        assertTrue(withBar.err().contains("dump") && withBar.err().contains("100%"), withBar.err());
        assertTrue(withBar.err().contains("dumped 7 objects"), withBar.err());
        assertTrue(!plain.err().contains("%"), "no bar without a terminal: " + plain.err());
    }
}
