package io.github.lambdaimageprocessor.cli;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of a command over many items: done/total, rate and time left. On a terminal one line is rewritten in place
 * ({@code \r}) twice a second; otherwise (a log file, CI, a pipe) a plain line is printed every ten seconds. The total
 * grows while the items are still being listed, and the time left is shown once it is known.
 *
 * <p>Thread-safe: workers report {@link #completed()} concurrently, and {@link #println} interleaves whole lines with
 * the progress line.
 */
public final class ProgressReporter implements AutoCloseable {

    private final PrintStream out;

    private final boolean terminal;

    private final LongSupplier nanoTime;

    private final long startNanos;

    private final AtomicLong total = new AtomicLong();

    private final AtomicLong done = new AtomicLong();

    private volatile boolean totalKnown;

    /** The total as counted ahead of the listing, or -1 until it is. */
    private volatile long counted = -1;

    private final ScheduledExecutorService ticker;

    private int lastWidth;

    /**
     * @param terminal whether {@code out} is a terminal (rewrite one line) or not (plain lines)
     * @param interval how often progress is shown; zero for never (only {@link #render()} and the final line)
     */
    public ProgressReporter(PrintStream out, boolean terminal, Duration interval, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        if (interval.isZero()) {
            this.ticker = null;
        }
        else {
            this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "progress");
                thread.setDaemon(true);
                return thread;
            });
            this.ticker.scheduleAtFixedRate(this::show, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** A reporter on {@code out}: in place when it is standard output on a terminal, plain lines otherwise. */
    public static ProgressReporter forOutput(PrintStream out) {
        boolean terminal = out == System.out && isTerminal();
        return new ProgressReporter(out, terminal, terminal ? Duration.ofMillis(500) : Duration.ofSeconds(10),
                System::nanoTime);
    }

    /**
     * Whether standard output is a terminal. Before JDK 22 {@link System#console()} is null unless it is; from JDK 22
     * on it may be a console that is not a terminal, which {@code Console.isTerminal()} (looked up, since this code
     * is compiled for 21) tells.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        }
        catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** One more item to do. */
    public void found() {
        total.incrementAndGet();
    }

    /**
     * The total as counted apart from the listing that feeds the work, which may still be under way (a backfill lists
     * only a few objects ahead of its work): shown, with the time left, until the items found outnumber it.
     */
    public void counted(long total) {
        counted = total;
    }

    /** Every item is known: the total is final, and the time left can be estimated. */
    public void allFound() {
        totalKnown = true;
    }

    /** One item done, whatever its outcome. */
    public void completed() {
        done.incrementAndGet();
    }

    public long done() {
        return done.get();
    }

    public long total() {
        return total.get();
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
    }

    /** The total as the progress line shows it: {@code 500}, or {@code 124+} while it is not known yet. */
    public String totalText() {
        return totalNow() + (totalKnownNow() ? "" : "+");
    }

    /** Objects added since they were counted make the count too small: then only the listing's end tells. */
    private boolean totalKnownNow() {
        return totalKnown || counted >= total.get();
    }

    private long totalNow() {
        return totalKnown ? total.get() : Math.max(total.get(), counted);
    }

    /** The progress line, e.g. {@code 120/500 (24%), 8.3/s, about 45s left}. */
    public String render() {
        long doneNow = done.get();
        boolean known = totalKnownNow();
        long totalNow = totalNow();
        double seconds = Math.max(elapsed().toNanos() / 1e9, 1e-3);
        double rate = doneNow / seconds;
        StringBuilder line = new StringBuilder();
        line.append(doneNow).append('/').append(totalNow);
        if (known) {
            line.append(totalNow == 0 ? "" : String.format(Locale.ROOT, " (%d%%)", doneNow * 100 / totalNow));
        }
        else {
            line.append("+ (listing)");
        }
        line.append(String.format(Locale.ROOT, ", %.1f/s", rate));
        if (known && doneNow > 0 && doneNow < totalNow) {
            line.append(", about ").append(format(Duration.ofSeconds(Math.round((totalNow - doneNow) / rate))))
                .append(" left");
        }
        return line.toString();
    }

    /** Prints a whole line amid the progress (clearing the progress line first on a terminal). */
    public synchronized void println(String line) {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
        out.println(line);
        out.flush();
    }

    synchronized void show() {
        String line = render();
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        }
        else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops the periodic output with no final progress line: for a run that ends before it began its work. */
    public void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /** Stops the periodic output and prints the final progress line. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        show();
        if (terminal) {
            synchronized (this) {
                out.println();
                lastWidth = 0;
            }
        }
    }

    /** {@code 45s}, {@code 3m 05s}, {@code 1h 02m}. */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
