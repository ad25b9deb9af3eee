package io.github.lambdaimageprocessor.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;

/**
 * A/B companion of {@link ScaledDecodeBenchmark} for a shared machine: thread CPU time per decode to an RGB image (not
 * wall time, which other processes inflate), after a warm-up, in rounds; prints the median and the spread of the
 * rounds.
 *
 * <pre>
 * DecodeCpuTime DENOMINATOR ROUNDS FILE...
 * </pre>
 */
public final class DecodeCpuTime {

    public static void main(String[] args) throws Exception {
        int denominator = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        byte[][] files = new byte[args.length - 2][];
        for (int i = 2; i < args.length; i++) {
            files[i - 2] = Files.readAllBytes(Path.of(args[i]));
        }
        JpegDecoder decoder = new JpegDecoder();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (byte[] f : files) {
                decoder.decode(f, denominator, 200_000_000L).image();
            }
        }
        double[] msPerDecode = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int n = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (byte[] f : files) {
                    decoder.decode(f, denominator, 200_000_000L).image();
                    n++;
                }
            }
            msPerDecode[r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / n;
        }
        Arrays.sort(msPerDecode);
        System.out.printf("1/%d CPU ms per decode: median %.3f min %.3f max %.3f (%d rounds of 1 s)%n", denominator,
                msPerDecode[rounds / 2], msPerDecode[0], msPerDecode[rounds - 1], rounds);
    }
}
