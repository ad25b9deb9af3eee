package io.github.lambdaimageprocessor.benchmark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.jpeg.DecodedJpeg;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegException;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import net.coobird.thumbnailator.Thumbnails;

/**
 * The Java side of {@code bench/compare.sh}: makes a 256x256-fit JPEG (q85) thumbnail of each file, several passes in
 * one process, and prints one line per file ({@code path wall_ms_median}) and one summary line
 * ({@code CPU_MS_PER_IMAGE x}, the median over passes of process CPU time / files). With
 * {@code -Dbench.warmup=N} it first makes N passes it does not count, so the JIT has compiled what it will, and says
 * what the first of them cost ({@code FIRST_PASS_CPU_MS_PER_IMAGE x}). Not a test.
 *
 * <pre>
 * ThumbnailBench (ours|dct|imageio) OUT_DIR PASSES FILE...
 * </pre>
 *
 * {@code ours}: the product's {@link ThumbnailatorResizer} (DCT-scaling decoder first, ImageIO fallback, orientation,
 * ICC, deadline); {@code dct}: the DCT-scaling decoder alone, then Thumbnailator; {@code imageio}: ImageIO full decode
 * (with TwelveMonkeys), then Thumbnailator, the naive baseline.
 */
public final class ThumbnailBench {

    private static final Dimensions BOX = new Dimensions(256, 256);

    private static final JpegDecoder DECODER = new JpegDecoder();

    private static final ThumbnailatorResizer RESIZER = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[1]);
        int passes = Integer.parseInt(args[2]);
        List<Path> files = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        Files.createDirectories(out);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int warmup = Integer.getInteger("bench.warmup", 0);
        for (int pass = 0; pass < warmup; pass++) {
            long cpu0 = os.getProcessCpuTime();
            for (Path file : files) {
                thumbnail(mode, Files.readAllBytes(file));
            }
            if (pass == 0) {
                System.out.printf("FIRST_PASS_CPU_MS_PER_IMAGE %.1f%n",
                        (os.getProcessCpuTime() - cpu0) / 1e6 / files.size());
            }
        }
        long[][] wall = new long[files.size()][passes];
        double[] cpuPerImage = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long cpu0 = os.getProcessCpuTime();
            for (int i = 0; i < files.size(); i++) {
                long t0 = System.nanoTime();
                byte[] thumb = thumbnail(mode, Files.readAllBytes(files.get(i)));
                wall[i][pass] = System.nanoTime() - t0;
                if (pass == passes - 1) {
                    Files.write(out.resolve(files.get(i).getFileName().toString()), thumb);
                }
            }
            cpuPerImage[pass] = (os.getProcessCpuTime() - cpu0) / 1e6 / files.size();
        }
        for (int i = 0; i < files.size(); i++) {
            System.out.printf("%s %.1f%n", files.get(i), median(wall[i]) / 1e6);
        }
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("PEAK_HEAP_MB %.1f (max heap %d MB)%n", peak / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576);
        System.out.printf("CPU_MS_PER_IMAGE %.1f%n", median(cpuPerImage));
    }

    static byte[] thumbnail(String mode, byte[] jpeg) throws IOException, JpegException, RejectedImageException {
        if (mode.equals("ours")) {
            return RESIZER.resize(jpeg).jpeg();
        }
        BufferedImage image;
        if (mode.equals("dct")) {
            JpegInfo info = DECODER.readInfo(jpeg);
            Dimensions target = new Dimensions(info.width(), info.height()).fitWithin(BOX);
            int denominator = JpegDecoder.scaleDenominatorFor(info.width(), info.height(), target.width(),
                    target.height());
            DecodedJpeg decoded = DECODER.decode(jpeg, denominator, 100_000_000L);
            image = decoded.image();
        }
        else {
            image = ImageIO.read(new ByteArrayInputStream(jpeg));
        }
        Dimensions target = new Dimensions(image.getWidth(), image.getHeight()).fitWithin(BOX);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thumbnails.of(image).forceSize(target.width(), target.height()).outputFormat("jpg").outputQuality(0.85f)
            .toOutputStream(out);
        return out.toByteArray();
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
