package io.objstate.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr for long operations, or nothing when progress is off (not a terminal). */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** {@code max} &lt; 0 shows an indeterminate bar. */
    static Progress start(boolean enabled, PrintStream err, String task, long max, String unit, long unitSize) {
        if (!enabled) {
            return new Progress(null);
        }
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                // A fixed width: the bar never asks the terminal library to probe the console.
                .setConsumer(new ConsoleProgressBarConsumer(err, 100))
                .continuousUpdate();
        if (unit != null) {
            b.setUnit(unit, unitSize);
        }
        return new Progress(b.build());
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
