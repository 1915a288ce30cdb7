package io.objstate.cli;

/** A failure reported as one line on stderr, with the process exit code it maps to. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a verification that found damage. */
    static final int VERIFY_FAILED = 1;
    /** Exit code of every other failure (bad arguments, missing store, I/O, ...). */
    static final int ERROR = 2;

    private final int exitCode;

    CliException(String message) {
        this(ERROR, message);
    }

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
