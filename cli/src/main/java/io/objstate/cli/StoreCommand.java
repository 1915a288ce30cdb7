package io.objstate.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** What every subcommand shares: the store directory argument and the root's streams. */
abstract class StoreCommand implements Callable<Integer> {
    @ParentCommand
    Objstate root;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path dir;

    PrintStream out() {
        return root.out;
    }

    PrintStream err() {
        return root.err;
    }

    boolean progress() {
        return root.progressEnabled();
    }
}
