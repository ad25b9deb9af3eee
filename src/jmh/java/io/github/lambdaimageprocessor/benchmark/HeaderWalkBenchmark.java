package io.github.lambdaimageprocessor.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;

/**
 * What the resizer's header read ({@link JpegDecoder#readHeader}, which stops at the first scan) costs per image before
 * the decoder reads the data. Before issue 11's single parser the walk stepped over every scan's entropy-coded data,
 * up to 33 ms on a dense 24 MP file; this keeps that from coming back. {@code file}: an absolute path, e.g. a file of
 * bench/baseline-corpus.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeaderWalkBenchmark {

    @Param({ "/tmp/photo.jpg" })
    public String file;

    private byte[] jpeg;

    @Setup
    public void load() throws IOException {
        jpeg = Files.readAllBytes(Path.of(file));
    }

    @Benchmark
    public JpegInfo headerRead() {
        return JpegDecoder.readHeader(jpeg);
    }
}
