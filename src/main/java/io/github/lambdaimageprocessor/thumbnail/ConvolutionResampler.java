package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Separable convolution resize (the method of Pillow's and libvips' resamplers): every output pixel is a weighted sum of
 * the source pixels under a filter kernel that is stretched by the scale factor when shrinking, so the kernel is also
 * the anti-aliasing low-pass. Thumbnailator's progressive bilinear halving is cheaper but softer and aliases more: on
 * real photos it scored 0.004 lower SSIM against a full-decode Lanczos reference than this (bench/compare.sh).
 *
 * <p>Kernel: Lanczos-3 (libvips' and sharp's default): on the benchmark photos it scored 0.0015 higher mean SSIM than
 * Pillow's {@code BICUBIC} cubic (Keys, a = -0.5) and 0.004 higher on the finest foliage, for 1.5x the taps of a step
 * that takes a few milliseconds next to the decode. Weights are normalised per output pixel and held in 14-bit fixed
 * point; the vertical pass keeps 8 extra bits of precision for the horizontal one (with Lanczos' negative lobes the
 * positive weights sum to at most 1.29, which keeps the horizontal sums within an int). Works on {@code TYPE_INT_RGB}
 * and returns {@code TYPE_INT_RGB}.
 *
 * <p>The source may cover less than its last pixel: a JPEG decoded at 1/k has {@code ceil(width / k)} columns, the last
 * one standing for a partial block, so the picture is {@code width / k} columns wide. Sampling over that extent (as
 * Pillow does with the box its draft mode returns) keeps the thumbnail geometrically exact; stretching the whole raster
 * shifted the right and bottom edges by up to half an output pixel, which cost 0.007 SSIM on a 24 MP photo.
 */
final class ConvolutionResampler {

    private static final int WEIGHT_BITS = 14;

    /**
     * Both methods run the vertical pass first, one output row at a time: it streams whole source rows and leaves only
     * {@code height} rows for the horizontal pass. The row keeps 8 fraction bits, clamped to the 8-bit range like
     * Pillow's intermediate, which keeps the horizontal sums within int.
     */
    static final int V_SHIFT = WEIGHT_BITS - 8;
    private static final int V_ROUND = 1 << (V_SHIFT - 1);
    static final int H_SHIFT = WEIGHT_BITS + 8;
    private static final int H_ROUND = 1 << (H_SHIFT - 1);

    /** The kernel's radius in source pixels at scale 1. */
    private static final double SUPPORT = 3.0;

    private ConvolutionResampler() {
    }

    static BufferedImage resize(BufferedImage source, int width, int height) {
        return resize(source, source.getWidth(), source.getHeight(), width, height);
    }

    /**
     * @param extentWidth how many source columns the picture spans, at most the raster's width and more than its
     *        width minus one
     * @param extentHeight the same for rows
     */
    static BufferedImage resize(BufferedImage source, double extentWidth, double extentHeight, int width, int height) {
        checkExtent(extentWidth, extentHeight, source.getWidth(), source.getHeight(), "image");
        BufferedImage src = source.getType() == BufferedImage.TYPE_INT_RGB && isPlain(source) ? source
                : copyToIntRgb(source);
        int sw = src.getWidth();
        int sh = src.getHeight();
        int[] in = ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
        Kernel horizontal = Kernel.of(sw, extentWidth, width);
        Kernel vertical = Kernel.of(sh, extentHeight, height);
        int[][] rgb = convolve(3, sw, (r, rows) -> {
            int[] red = rows[0];
            int[] green = rows[1];
            int[] blue = rows[2];
            for (int x = 0, from = r * sw; x < sw; x++) {
                int p = in[from + x];
                red[x] = p >> 16 & 0xFF;
                green[x] = p >> 8 & 0xFF;
                blue[x] = p & 0xFF;
            }
        }, horizontal, vertical, width, height);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = rgb[0][i] << 16 | rgb[1][i] << 8 | rgb[2][i];
        }
        return out;
    }

    /**
     * One plane of 8-bit samples (a JPEG component at its own resolution), the same convolution on one channel: the
     * {@link io.github.lambdaimageprocessor.jpeg.PlaneResampler} of {@link DctScalingDecoder}. The extent may be
     * larger than the output in one direction and smaller in the other (subsampled chroma of a small picture): the
     * kernel is stretched only where it shrinks.
     */
    static byte[] resample(byte[] in, int stride, int sw, int sh, double extentWidth, double extentHeight, int width,
            int height) {
        checkExtent(extentWidth, extentHeight, sw, sh, "plane");
        if (stride < sw || (long) stride * (sh - 1) + sw > in.length) {
            throw new IllegalArgumentException("a " + sw + "x" + sh + " plane of stride " + stride + " does not fit in "
                    + in.length + " bytes");
        }
        Kernel horizontal = Kernel.of(sw, extentWidth, width);
        Kernel vertical = Kernel.of(sh, extentHeight, height);
        int[] samples = convolve(1, sw, (r, rows) -> {
            int[] row = rows[0];
            for (int x = 0, from = r * stride; x < sw; x++) {
                row[x] = in[from + x] & 0xFF;
            }
        }, horizontal, vertical, width, height)[0];
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) samples[i];
        }
        return out;
    }

    /** Writes source row {@code r} of every channel {@code c}, widened to int, into {@code rows[c]}. */
    @FunctionalInterface
    private interface RowReader {
        void read(int r, int[][] rows);
    }

    /**
     * The convolution itself, of {@code channels} channels of a source {@code sw} samples wide read row by row: every
     * output sample clamped to 0..255, as {@code [channel][y * width + x]}.
     *
     * <p>Both passes are written as {@code column[x] += row[x] * w} over whole arrays, the one form of the loop C2
     * vectorises here: it vectorises neither a byte-to-int conversion nor a read at an offset from where it writes (it
     * cannot rule out that two int arrays overlap). So the source rows under the vertical kernel are widened to int
     * once each (the windows only move down: a ring of the widest one's rows holds them), and the vertical pass leaves
     * its result column by column, for the horizontal pass to run down the columns. A 750x500 plane to 256x171 took
     * 2.5 ms in loops that read the source at each tap, 0.76 ms this way; the same sums, so the same output.
     */
    private static int[][] convolve(int channels, int sw, RowReader reader, Kernel horizontal, Kernel vertical,
            int width, int height) {
        int[] vw = vertical.weights;
        int ring = 0;
        for (int y = 0; y < height; y++) {
            ring = Math.max(ring, vertical.count[y]);
        }
        int[][][] rows = new int[ring][channels][sw];
        int[][][] columns = new int[channels][sw][height];
        int[] column = new int[sw];
        int widened = 0;
        for (int y = 0; y < height; y++) {
            int start = vertical.start[y];
            int n = vertical.count[y];
            int wo = vertical.offset[y];
            for (int r = Math.max(widened, start); r < start + n; r++) {
                reader.read(r, rows[r % ring]);
            }
            widened = Math.max(widened, start + n);
            for (int c = 0; c < channels; c++) {
                java.util.Arrays.fill(column, V_ROUND);
                for (int i = 0; i < n; i++) {
                    int w = vw[wo + i];
                    int[] row = rows[(start + i) % ring][c];
                    for (int x = 0; x < sw; x++) {
                        column[x] += row[x] * w;
                    }
                }
                int[][] cols = columns[c];
                for (int x = 0; x < sw; x++) {
                    cols[x][y] = Math.min(Math.max(column[x] >> V_SHIFT, 0), 255 << 8);
                }
            }
        }
        int[] hw = horizontal.weights;
        int[][] out = new int[channels][width * height];
        int[] sum = new int[height];
        for (int c = 0; c < channels; c++) {
            int[][] cols = columns[c];
            int[] samples = out[c];
            for (int x = 0; x < width; x++) {
                int hs = horizontal.start[x];
                int hn = horizontal.count[x];
                int ho = horizontal.offset[x];
                java.util.Arrays.fill(sum, H_ROUND);
                for (int i = 0; i < hn; i++) {
                    int w = hw[ho + i];
                    int[] col = cols[hs + i];
                    for (int y = 0; y < height; y++) {
                        sum[y] += col[y] * w;
                    }
                }
                for (int y = 0, o = x; y < height; y++, o += width) {
                    samples[o] = clamp(sum[y] >> H_SHIFT);
                }
            }
        }
        return out;
    }

    /** The extent must end in the raster's last column and row: at most its size, more than its size minus one. */
    private static void checkExtent(double extentWidth, double extentHeight, int width, int height, String what) {
        if (!(extentWidth <= width && extentWidth > width - 1 && extentHeight <= height && extentHeight > height - 1)) {
            throw new IllegalArgumentException("the extent " + extentWidth + "x" + extentHeight
                    + " does not end in the last pixel of a " + width + "x" + height + " " + what);
        }
    }

    private static boolean isPlain(BufferedImage image) {
        return image.getRaster().getDataBuffer() instanceof DataBufferInt buffer && buffer.getNumBanks() == 1
                && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0
                && ((java.awt.image.SinglePixelPackedSampleModel) image.getSampleModel()).getScanlineStride() == image
                    .getWidth();
    }

    private static BufferedImage copyToIntRgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        }
        finally {
            g.dispose();
        }
        return rgb;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    /** Lanczos-3: sinc(x) sinc(x / 3) within |x| < 3. */
    private static double lanczos3(double x) {
        if (x == 0) {
            return 1;
        }
        if (x <= -SUPPORT || x >= SUPPORT) {
            return 0;
        }
        double px = Math.PI * x;
        return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
    }

    /** Per output position: the first source index, the tap count and the fixed-point weights. */
    record Kernel(int[] start, int[] count, int[] offset, int[] weights) {

        /**
         * Kernels made lately, by geometry: a photo's two chroma planes share theirs, and a camera's photos come in a
         * few sizes, while each kernel costs two sines per tap. Bounded (small kernels only, emptied when full), and
         * never written after they are made, so threads share them.
         */
        private static final java.util.Map<Geometry, Kernel> RECENT = new java.util.concurrent.ConcurrentHashMap<>();

        private static final int MAX_RECENT = 32;

        private static final int MAX_RECENT_WEIGHTS = 16 * 1024;

        private record Geometry(int in, double extent, int out) {
        }

        /** {@code in} pixels, of which the first {@code extent} (fractional) hold the picture, to {@code out}. */
        static Kernel of(int in, double extent, int out) {
            Geometry geometry = new Geometry(in, extent, out);
            Kernel kernel = RECENT.get(geometry);
            if (kernel == null) {
                kernel = make(in, extent, out);
                if (kernel.weights.length <= MAX_RECENT_WEIGHTS) {
                    if (RECENT.size() >= MAX_RECENT) {
                        RECENT.clear();
                    }
                    RECENT.put(geometry, kernel);
                }
            }
            return kernel;
        }

        private static Kernel make(int in, double extent, int out) {
            double scale = extent / out;
            double filterScale = Math.max(1.0, scale); // stretch the kernel only when shrinking
            double support = SUPPORT * filterScale;
            int maxTaps = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] count = new int[out];
            int[] offset = new int[out];
            int[] weights = new int[out * maxTaps];
            double[] w = new double[maxTaps];
            for (int o = 0; o < out; o++) {
                double center = (o + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(in, (int) (center + support + 0.5));
                int n = Math.min(hi - lo, maxTaps);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    w[i] = lanczos3((lo + i + 0.5 - center) / filterScale);
                    sum += w[i];
                }
                start[o] = lo;
                count[o] = n;
                offset[o] = o * maxTaps;
                int fixedSum = 0;
                int largest = 0;
                for (int i = 0; i < n; i++) {
                    int f = (int) Math.round(w[i] / sum * (1 << WEIGHT_BITS));
                    weights[o * maxTaps + i] = f;
                    fixedSum += f;
                    if (Math.abs(f) > Math.abs(weights[o * maxTaps + largest])) {
                        largest = i;
                    }
                }
                // rounding leftovers go to the largest tap, so flat areas keep their exact level
                weights[o * maxTaps + largest] += (1 << WEIGHT_BITS) - fixedSum;
            }
            return new Kernel(start, count, offset, weights);
        }
    }
}
