package io.github.lambdaimageprocessor.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * A decoded (and possibly DCT-scaled) JPEG, held as the planes of its components at the decoded scale, so a caller
 * that wants a smaller picture can resample each plane at its own resolution ({@link #resized}) instead of upsampling
 * the chroma and converting every pixel to RGB first ({@link #image}). For any file {@link JpegDecoder#decode}
 * accepted, {@link #image} throws nothing and {@link #resized} hands its resampler only calls within the contract of
 * {@link PlaneResampler} ({@code JpegDecoderFuzzTest} checks both). For the thread that decoded it: the image is
 * made lazily, without synchronisation.
 */
public final class DecodedJpeg {

    private final Frame frame;
    private final int k;
    private final JpegInfo info;
    private final boolean complete;
    private final List<String> warnings;
    /** The colour space the picture is drawn from: of the components before an alpha one, or of them all. */
    private final JpegColorSpace colours;
    /** Whether the last component is alpha, drawn over black ({@link JpegInfo#alphaOver}). */
    private final boolean alpha;
    private BufferedImage image;

    DecodedJpeg(Frame frame, int k, JpegInfo info, boolean complete, List<String> warnings) {
        this(frame, k, info, complete, List.copyOf(warnings), info.alphaOver().orElse(info.colorSpace()),
                info.alphaOver().isPresent());
    }

    private DecodedJpeg(Frame frame, int k, JpegInfo info, boolean complete, List<String> warnings,
            JpegColorSpace colours, boolean alpha) {
        this.frame = frame;
        this.k = k;
        this.info = info;
        this.complete = complete;
        this.warnings = warnings;
        this.colours = colours;
        this.alpha = alpha;
    }

    /**
     * The same picture drawn from its colour components alone, the alpha left out (this one when it has none): for a
     * caller that converts the colours through a profile, as the fallback does grey and alpha with a grey profile.
     */
    public DecodedJpeg withoutAlpha() {
        return alpha ? new DecodedJpeg(frame, k, info, complete, warnings, colours, false) : this;
    }

    /**
     * The pixels as {@code TYPE_INT_RGB}, {@code ceil(width / scaleDenominator)} by
     * {@code ceil(height / scaleDenominator)}, in coded orientation (EXIF orientation is not applied); made on first
     * call. A picture with alpha ({@link #hasAlpha}) is drawn over black.
     */
    public BufferedImage image() {
        if (image == null) {
            image = alpha ? JpegDecoder.toRgbOverBlack(frame, colours, k) : JpegDecoder.toRgb(frame, colours, k);
        }
        return image;
    }

    /**
     * The picture resized to {@code width x height} as {@code TYPE_INT_RGB}, in coded orientation: each component's
     * plane is resampled from its own resolution straight to the output size (subsampled chroma is not first
     * upsampled to the luma's), then the output pixels alone are converted to RGB. Without subsampling this is, the
     * conversion being affine, the picture of converting first, but for rounding and where the filter overshoots
     * (clipped in Y'CbCr, then in RGB, instead of in RGB alone): a third of a level apart on average, more at
     * saturated edges. Subsampled chroma comes out sharper, without the triangle upsampling of {@link #image}.
     *
     * <p>A picture with alpha ({@link #hasAlpha}) is drawn over black at the decoded scale first, and its red, green
     * and blue are resized, the order the fallback's picture takes: the blend is not linear, and resizing the planes
     * first would spread the colour of transparent parts, which the fallback draws black, into what surrounds them.
     */
    public BufferedImage resized(int width, int height, PlaneResampler resampler) {
        if (alpha) {
            return resizedOverBlack(width, height, resampler);
        }
        byte[][] planes = resizedPlanes(width, height, resampler);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ColorConverter.toRgb(colours, planes, ((DataBufferInt) out.getRaster().getDataBuffer()).getData(), 0,
                width * height);
        return out;
    }

    private BufferedImage resizedOverBlack(int width, int height, PlaneResampler resampler) {
        requirePositive(width, height);
        int[] pixels = ((DataBufferInt) image().getRaster().getDataBuffer()).getData();
        byte[][] channels = new byte[3][pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            channels[0][i] = (byte) (pixels[i] >> 16);
            channels[1][i] = (byte) (pixels[i] >> 8);
            channels[2][i] = (byte) pixels[i];
        }
        byte[][] resized = new byte[3][];
        for (int c = 0; c < 3; c++) {
            resized[c] = resampler.resample(channels[c], width(), width(), height(), extent(frame.width, 1),
                    extent(frame.height, 1), width, height);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ColorConverter.rgb(resized[0], resized[1], resized[2],
                ((DataBufferInt) out.getRaster().getDataBuffer()).getData(), 0, width * height);
        return out;
    }

    /**
     * Whether the components are inks (CMYK or YCCK): {@link #image} and {@link #resized} turn them into RGB by an
     * uncalibrated formula, {@link #inks} and {@link #resizedInks} hand them over for a colour profile to convert.
     */
    public boolean hasInks() {
        return colours == JpegColorSpace.CMYK || colours == JpegColorSpace.YCCK;
    }

    /**
     * Whether the last component is alpha, as the fallback reads it ({@link JpegInfo#alphaOver}): two components, or
     * four without an Adobe marker whose ids are those of the JDK's writer for ARGB, unless {@link #withoutAlpha}
     * left it out. The picture is drawn over black, as the resizer draws the fallback's, and no colour profile
     * describes it: the fallback ignores one of three components, and refuses a file whose profile has four.
     */
    public boolean hasAlpha() {
        return alpha;
    }

    /**
     * The inks of the picture at the decoded scale, the size of {@link #image}: C, M, Y, K interleaved, 0 for none and
     * 255 for full, chroma upsampled as for {@link #image}.
     *
     * @throws IllegalStateException unless {@link #hasInks}
     */
    public byte[] inks() {
        requireInks();
        int outWidth = width();
        byte[] inks = new byte[4 * outWidth * height()];
        JpegDecoder.forEachRow(frame, k, (y, rows) -> ColorConverter.toInks(colours, rows, inks,
                y * outWidth, outWidth));
        return inks;
    }

    /**
     * The inks of the picture resized to {@code width x height} the way {@link #resized} resizes (each plane from its
     * own resolution), C, M, Y, K interleaved.
     *
     * @throws IllegalStateException unless {@link #hasInks}
     */
    public byte[] resizedInks(int width, int height, PlaneResampler resampler) {
        requireInks();
        byte[][] planes = resizedPlanes(width, height, resampler);
        byte[] inks = new byte[4 * width * height];
        ColorConverter.toInks(colours, planes, inks, 0, width * height);
        return inks;
    }

    private void requireInks() {
        if (!hasInks()) {
            throw new IllegalStateException("a " + colours.displayName() + " picture has no inks");
        }
    }

    private static void requirePositive(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
        }
    }

    private byte[][] resizedPlanes(int width, int height, PlaneResampler resampler) {
        requirePositive(width, height);
        Component[] components = frame.components;
        byte[][] planes = new byte[components.length][];
        for (Component c : components) {
            planes[c.index] = resampler.resample(c.plane, c.planeStride,
                    JpegDecoder.scaled(frame.width * c.h, k, frame.hMax),
                    JpegDecoder.scaled(frame.height * c.v, k, frame.vMax), extent(frame.width * c.h, frame.hMax),
                    extent(frame.height * c.v, frame.vMax), width, height);
        }
        return planes;
    }

    /** {@code size * k / (8 * divisor)}: how many samples of a plane at the decoded scale the picture spans. */
    private double extent(int size, int divisor) {
        return (double) size * k / (8.0 * divisor);
    }

    /** Width of the picture at the decoded scale: the width of {@link #image}. */
    public int width() {
        return JpegDecoder.scaled(frame.width, k, 1);
    }

    /** Height of the picture at the decoded scale. */
    public int height() {
        return JpegDecoder.scaled(frame.height, k, 1);
    }

    /** The header. */
    public JpegInfo info() {
        return info;
    }

    /** 1, 2, 4 or 8: the image is 1/scaleDenominator of the coded size. */
    public int scaleDenominator() {
        return 8 / k;
    }

    /**
     * False when the entropy-coded data ended early or was corrupt; the missing blocks are mid-grey (or hold whatever
     * the progressive scans that did arrive defined), like libjpeg's output for such files.
     */
    public boolean complete() {
        return complete;
    }

    /** What was wrong with the file but decoded anyway (libjpeg's warnings), and, when not complete, why; a few. */
    public List<String> warnings() {
        return warnings;
    }
}
