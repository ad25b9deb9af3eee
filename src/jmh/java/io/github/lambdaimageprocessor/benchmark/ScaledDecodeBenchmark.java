package io.github.lambdaimageprocessor.benchmark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegException;
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

/**
 * The DCT-scaling decoder alone at each reduced scale, on baseline photos: what the entropy decoding costs when only
 * the DC (1/8) or the first few AC coefficients (1/4, 1/2) are kept. {@code file} is a corpus path (from
 * src/test/resources/corpus) or an absolute path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScaledDecodeBenchmark {

    @Param({ "valid/flickr-2725x2225.jpg", "valid/reconyx-hc500-2048x1536-422.jpg" })
    public String file;

    @Param({ "8", "4", "2" })
    public int denominator;

    private byte[] jpeg;

    private final JpegDecoder decoder = new JpegDecoder();

    @Setup
    public void load() throws IOException {
        Path path = Path.of(file);
        if (path.isAbsolute()) {
            jpeg = Files.readAllBytes(path);
            return;
        }
        try (InputStream in = ScaledDecodeBenchmark.class.getResourceAsStream("/corpus/" + file)) {
            if (in == null) {
                throw new IOException("no corpus file " + file);
            }
            jpeg = in.readAllBytes();
        }
    }

    @Benchmark
    public BufferedImage decode() throws JpegException {
        return decoder.decode(jpeg, denominator, 200_000_000L).image();
    }
}
