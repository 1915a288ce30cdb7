package io.objstate.cli;

import io.objstate.internal.codec.CodecException;
import io.objstate.nativestore.NativeStoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code objstate} command: looks at and maintains a store directory without the application's
 * classes. Data goes to stdout; progress, summaries and errors go to stderr; every error is one line.
 * Exit codes: 0 success, 1 {@code verify} found damage, 2 any other failure (bad arguments included).
 */
@Command(name = "objstate", mixinStandardHelpOptions = true, version = "objstate 0.1.0-SNAPSHOT",
        description = "Inspect and maintain an objstate store directory.",
        subcommands = {StatCommand.class, LsCommand.class, GetCommand.class, DumpCommand.class,
            VerifyCommand.class, CompactCommand.class, BackupCommand.class, RepairCommand.class, ExportCommand.class,
            ImportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:verify found damage", "2:any other error (usage, missing store, I/O)"})
public final class Objstate implements Runnable {
    final PrintStream out;
    final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = "--progress", negatable = true,
            description = "Show a progress bar on stderr for long operations (default: only when stderr is a terminal).")
    Boolean progress;

    public Objstate(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line and returns its exit code (for main and for tests). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Objstate root = new Objstate(out, err);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, argv) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println("objstate: " + Stores.oneLine(e.getMessage()) + " (see '" + command + " --help')");
            return CliException.ERROR;
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("objstate: " + describe(e));
            return e instanceof CliException c ? c.exitCode() : CliException.ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String describe(Exception e) {
        return switch (e) {
            case CliException c -> Stores.oneLine(c.getMessage());
            case NativeStoreException s -> "store error (" + s.status() + "): " + Stores.oneLine(s.getMessage());
            case CodecException c -> Stores.oneLine(c.getMessage());
            case UncheckedIOException io -> Stores.oneLine(io.getCause().toString());
            default -> "unexpected " + e.getClass().getSimpleName() + ": " + Stores.oneLine(e.getMessage());
        };
    }

    boolean progressEnabled() {
        if (progress != null) {
            return progress;
        }
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
