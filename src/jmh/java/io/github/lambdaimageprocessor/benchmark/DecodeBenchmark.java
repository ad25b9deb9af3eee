package io.github.lambdaimageprocessor.benchmark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegException;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.processing.Dimensions;
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
 * Decode, and decode + resize to a 256x256 JPEG thumbnail: ImageIO's full decode (TwelveMonkeys' reader) against this
 * project's DCT-scaling decoder, both finished by Thumbnailator. {@code file} is a corpus path (from
 * src/test/resources/corpus) or an absolute path, e.g. {@code -p file=/usr/share/wallpapers/Volna/contents/images/5120x2880.jpg}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {

    @Param({ "valid/flickr-2725x2225.jpg", "edge-sizes/wide-phone-4608x1976.jpg",
            "edge-sizes/panorama-equirect-4096x2048.jpg", "orientation/landscape_1.jpg" })
    public String file;

    private byte[] jpeg;

    private final JpegDecoder decoder = new JpegDecoder();

    @Setup
    public void load() throws IOException {
        Path path = Path.of(file);
        if (path.isAbsolute()) {
            jpeg = Files.readAllBytes(path);
            return;
        }
        try (InputStream in = DecodeBenchmark.class.getResourceAsStream("/corpus/" + file)) {
            if (in == null) {
                throw new IOException("no corpus file " + file);
            }
            jpeg = in.readAllBytes();
        }
    }

    @Benchmark
    public BufferedImage imageioDecode() throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    @Benchmark
    public BufferedImage dctScaledDecode() throws JpegException {
        JpegInfo info = decoder.readInfo(jpeg);
        Dimensions target = new Dimensions(info.width(), info.height()).fitWithin(new Dimensions(256, 256));
        int denominator = JpegDecoder.scaleDenominatorFor(info.width(), info.height(), target.width(),
                target.height());
        return decoder.decode(jpeg, denominator, 100_000_000L).image();
    }

    @Benchmark
    public byte[] imageioThumbnail() throws Exception {
        return ThumbnailBench.thumbnail("imageio", jpeg);
    }

    @Benchmark
    public byte[] dctThumbnail() throws Exception {
        return ThumbnailBench.thumbnail("dct", jpeg);
    }

    /** The product path: ThumbnailatorResizer with the DCT-scaling decoder first (orientation, ICC, deadline). */
    @Benchmark
    public byte[] resizerThumbnail() throws Exception {
        return ThumbnailBench.thumbnail("ours", jpeg);
    }
}
