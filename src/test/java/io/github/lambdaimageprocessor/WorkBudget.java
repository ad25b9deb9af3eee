package io.github.lambdaimageprocessor;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opentest4j.AssertionFailedError;

/**
 * What one input may cost the fuzz tests: CPU time, heap allocated and native memory, measured around each execution
 * and failed (an {@link AssertionFailedError}, which Jazzer reports as a finding) when over budget. Wall-clock time
 * would make the verdict depend on how busy the machine is; CPU time of the threads that did the work does not.
 *
 * <ul>
 * <li><b>CPU</b>: the CPU time of every Java thread (the caller, and the resizer's worker threads; libjpeg runs on
 * them too), 1 s by default: the bound for the hostile files, which are far larger than fuzzed inputs.
 * Coverage instrumentation slows code down a few times, so fuzzing runs set {@code -Dfuzz.cpu-budget=3s}.</li>
 * <li><b>Heap</b>: bytes allocated on the Java heap by those threads, garbage included, 256 MB by default: the
 * resizer's own budget is a 24 MP decode (96 MB as RGB) and its copy, which no input of a few kilobytes should
 * reach, and the fuzz JVM's {@code -Xmx} is the hard stop (an {@link OutOfMemoryError} is a finding too).</li>
 * <li><b>Native</b>: the growth of the process' peak resident memory, 150 MB by default (the bound), which
 * catches what the heap does not see: libjpeg's buffers. Only meaningful when the heap is resident from the start
 * ({@code -Xms} = {@code -Xmx} with {@code -XX:+AlwaysPreTouch}, as the fuzz tests' Surefire execution runs them),
 * since otherwise the heap's own growth would count; measured on Linux, where the peak can be reset.</li>
 * </ul>
 */
public final class WorkBudget {

    public static final Duration CPU = Duration.parse("PT" + System.getProperty("fuzz.cpu-budget", "1s"));

    public static final long HEAP_BYTES = Long.getLong("fuzz.heap-budget-mb", 256) << 20;

    public static final long NATIVE_BYTES = Long.getLong("fuzz.native-budget-mb", 150) << 20;

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
        .getThreadMXBean();

    private static final Path STATUS = Path.of("/proc/self/status");

    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private static final Pattern KILOBYTES = Pattern.compile("(\\w+):\\s+(\\d+) kB");

    /** Whether the native check can be made here: Linux, a resettable peak and a heap resident from the start. */
    public static final boolean MEASURES_NATIVE = Files.isWritable(CLEAR_REFS) && heapIsPreTouched();

    private static final long[] NOTHING = { 0, 0 };

    private final Map<Long, long[]> before;

    private final long residentBefore;

    private WorkBudget() {
        if (MEASURES_NATIVE) {
            resetPeakResident();
        }
        this.residentBefore = MEASURES_NATIVE ? status("VmRSS") : 0;
        this.before = perThread();
    }

    /** Starts measuring one execution. */
    public static WorkBudget start() {
        return new WorkBudget();
    }

    /**
     * Whether the calling thread's work so far is over the CPU budget: cheap enough for a decoder's abort callback to
     * poll (it asks the calling thread only, {@link #check} then counts every thread).
     */
    public boolean overCpu() {
        long[] earlier = before.get(Thread.currentThread().threadId());
        return THREADS.getCurrentThreadCpuTime() - (earlier == null ? 0 : earlier[0]) > CPU.toNanos();
    }

    /**
     * Fails when the execution went over any budget.
     *
     * @param input what was processed, for the failure message
     */
    public void check(byte[] input) {
        long cpu = 0;
        long heap = 0;
        for (Map.Entry<Long, long[]> now : perThread().entrySet()) {
            long[] earlier = before.getOrDefault(now.getKey(), NOTHING);
            cpu += now.getValue()[0] - earlier[0];
            heap += now.getValue()[1] - earlier[1];
        }
        long nativeGrowth = MEASURES_NATIVE ? Math.max(0, status("VmHWM") - residentBefore) : 0;
        String costs = " (CPU " + cpu / 1_000_000 + " ms, heap allocated " + (heap >> 20) + " MB, peak resident growth "
                + (nativeGrowth >> 20) + " MB, for " + input.length + " bytes of input)";
        if (cpu > CPU.toNanos()) {
            throw new AssertionFailedError("over the work bound: more than " + CPU.toMillis() + " ms of CPU" + costs);
        }
        if (heap > HEAP_BYTES) {
            throw new AssertionFailedError("over the heap budget of " + (HEAP_BYTES >> 20) + " MB" + costs);
        }
        if (nativeGrowth > NATIVE_BYTES) {
            throw new AssertionFailedError("over the native memory budget of " + (NATIVE_BYTES >> 20) + " MB" + costs);
        }
    }

    /**
     * CPU time and allocated bytes of each live thread. A thread that ends in between takes its share with it, so a
     * cost can be missed but never invented; the resizer's workers are pooled and outlive an execution.
     */
    private static Map<Long, long[]> perThread() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, long[]> costs = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0 && allocated[i] >= 0) {
                costs.put(ids[i], new long[] { cpu[i], allocated[i] });
            }
        }
        return costs;
    }

    private static boolean heapIsPreTouched() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch")
                && heap.getInit() == heap.getMax();
    }

    /** Linux: writing 5 resets the peak resident set size (VmHWM) to the current one. */
    private static void resetPeakResident() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot reset the peak resident memory", e);
        }
    }

    private static long status(String field) {
        try {
            Matcher line = KILOBYTES.matcher(Files.readString(STATUS, StandardCharsets.US_ASCII));
            while (line.find()) {
                if (line.group(1).equals(field)) {
                    return Long.parseLong(line.group(2)) << 10;
                }
            }
            throw new IllegalStateException("no " + field + " in " + STATUS);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
