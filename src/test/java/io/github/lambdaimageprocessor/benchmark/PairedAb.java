package io.github.lambdaimageprocessor.benchmark;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Paired A/B for a shared machine: two builds of the codec side by side in one JVM, each in a class loader of its own
 * (so each gets JIT profiles of its own), alternated in short rounds, so that the drift of the machine, which moves
 * whole runs of {@code compare-baseline.sh} by 15%, falls on both alike. Prints the median CPU per image of each build
 * and the median over the rounds of B's CPU over A's, with its interquartile range. {@code bench/ab.sh} builds the
 * other commit and runs it.
 *
 * <pre>
 * PairedAb resize|decode:DENOMINATOR ROUNDS CLASSPATH_A CLASSPATH_B FILE...
 * </pre>
 *
 * {@code resize} is the whole thumbnail ({@code ThumbnailatorResizer} with the default settings, the CPU of every
 * Java thread, for it works on threads of its own); {@code decode:8} is the decoder alone at 1/8 (the calling thread's).
 */
public final class PairedAb {

    private interface Job {

        void run(byte[] file) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<byte[]> files = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            files.add(Files.readAllBytes(Path.of(args[i])));
        }
        Job[] jobs = { job(mode, args[2]), job(mode, args[3]) };
        LongSupplier cpu = cpuClock(mode);
        long warmEnd = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (Job job : jobs) {
                runAll(job, files);
            }
        }
        double[][] ms = new double[2][rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2; i++) {
                int side = r % 2 == 0 ? i : 1 - i; // A first in even rounds, B first in odd ones
                long start = cpu.getAsLong();
                runAll(jobs[side], files);
                ms[side][r] = (cpu.getAsLong() - start) / 1e6 / files.size();
            }
            ratios[r] = ms[1][r] / ms[0][r];
        }
        for (double[] side : ms) {
            Arrays.sort(side);
        }
        Arrays.sort(ratios);
        System.out.printf("%s, %d files, %d rounds: A %.2f CPU ms/img, B %.2f; B/A median of rounds %.3f (IQR %.3f-%.3f)%n",
                mode, files.size(), rounds, ms[0][rounds / 2], ms[1][rounds / 2], ratios[rounds / 2],
                ratios[rounds / 4], ratios[3 * rounds / 4]);
    }

    private static void runAll(Job job, List<byte[]> files) throws Exception {
        for (byte[] file : files) {
            job.run(file);
        }
    }

    /**
     * The calling thread's CPU for a decode; for the resizer, which works on pools of its own, the sum over all live
     * Java threads (the pools live as long as their resizers), in place of the process CPU the JDK reports, which moves
     * in steps of 10 ms. The JIT's and the GC's threads are not Java threads, so their CPU is left out.
     */
    private static LongSupplier cpuClock(String mode) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (mode.startsWith("decode")) {
            return threads::getCurrentThreadCpuTime;
        }
        return () -> {
            long sum = 0;
            for (long id : threads.getAllThreadIds()) {
                sum += Math.max(0, threads.getThreadCpuTime(id));
            }
            return sum;
        };
    }

    /** The job of {@code mode}, with every class from {@code classpath} and none from this JVM's own. */
    private static Job job(String mode, String classpath) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        if (mode.startsWith("decode:")) {
            int denominator = Integer.parseInt(mode.substring("decode:".length()));
            Class<?> type = loader.loadClass("io.github.lambdaimageprocessor.jpeg.JpegDecoder");
            Object decoder = type.getConstructor().newInstance();
            var decode = type.getMethod("decode", byte[].class, int.class, long.class);
            return file -> decode.invoke(decoder, file, denominator, 400_000_000L);
        }
        if (!mode.equals("resize")) {
            throw new IllegalArgumentException("mode: resize or decode:DENOMINATOR, not " + mode);
        }
        Object spec = loader.loadClass("io.github.lambdaimageprocessor.DefaultSettings")
            .getField("THUMBNAIL_SPEC")
            .get(null);
        Class<?> type = loader.loadClass("io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer");
        Object resizer = type.getConstructor(spec.getClass()).newInstance(spec);
        var resize = type.getMethod("resize", byte[].class);
        return file -> resize.invoke(resizer, file);
    }
}
