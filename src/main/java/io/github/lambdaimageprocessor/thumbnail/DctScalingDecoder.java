package io.github.lambdaimageprocessor.thumbnail;

import java.awt.Transparency;
import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.color.ProfileDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Optional;

import io.github.lambdaimageprocessor.jpeg.DecodedJpeg;
import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegException;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.jpeg.JpegLimitException;
import io.github.lambdaimageprocessor.jpeg.PlaneResampler;
import io.github.lambdaimageprocessor.jpeg.ScanSummary;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;

/**
 * The fast path: this project's pure-Java decoder, which reconstructs the image at 1/2, 1/4 or 1/8 of its size in the
 * DCT domain (the smallest that still leaves twice the thumbnail, so the final filtered resize hides the rest). It
 * takes the common photos (8-bit Huffman-coded grey, YCbCr, RGB, CMYK or YCCK, baseline or progressive), and pictures
 * whose last component the fallback reads as alpha (drawn over black as the fallback's are), and declines
 * everything else with a {@link RejectedImageException}, so {@link ThumbnailatorResizer} falls back to
 * {@link ImageIoDecoder}: other flavours, and damaged files (whose partial rendering is left to libjpeg, as before,
 * unless libjpeg would need a coefficient buffer beyond {@link ImageIoDecoder#COEFFICIENT_BUFFER_BUDGET}, or the file's
 * entropy-coded data holds less than a bit per block of its frame, or less than a byte per block libjpeg would render:
 * then this decoder's rendering of what arrived is the thumbnail; see {@link #routeIncomplete}). Limits it reaches
 * ({@link JpegLimitException}: too many scans, too much work for the bytes, a later scan naming a component twice)
 * are final: the fallback would refuse the file too, after more work.
 *
 * <p>When the picture is larger than the thumbnail, the decoder also makes the thumbnail: each plane is resampled from
 * its own resolution straight to the thumbnail's size ({@link DecodedJpeg#resized}), so subsampled chroma is not
 * upsampled to the luma's resolution first and only the thumbnail's pixels are converted to RGB. Against resizing the
 * decoded RGB image: a tenth less CPU for decode and resize over the baseline benchmark photos, a quarter less on 2 MP
 * ones, 0.61x on photos of 800-1000 px decoded at full size. Pictures that fit the box already are handed back whole,
 * and results with a side of 1 or 2 pixels (area-averaged) are resized by {@link ThumbnailatorResizer}.
 *
 * <p>An embedded ICC profile is applied like TwelveMonkeys does: converted to sRGB with the JDK's colour engine, on
 * the smallest image there is (the thumbnail, or the reduced image), as libvips' thumbnailer does; a profile
 * the engine refuses, or one of the wrong colour space, is ignored. CMYK and YCCK inks are resampled as inks and
 * converted the same way ({@link InksToSrgb}).
 */
final class DctScalingDecoder implements Decoder {

    private final JpegDecoder decoder = new JpegDecoder();

    private final PlaneResampler resampler;

    DctScalingDecoder() {
        this(ConvolutionResampler::resample);
    }

    /** With another resampler for the planes: for tests of what happens when it fails. */
    DctScalingDecoder(PlaneResampler resampler) {
        this.resampler = resampler;
    }

    @Override
    public Decoded decode(byte[] jpeg, JpegInfo header, Request request) throws RejectedImageException {
        if (!header.hasFrame() || header.width() <= 0 || header.height() <= 0) {
            throw new RejectedImageException("fast decoder: no usable frame header");
        }
        Dimensions source = new Dimensions(header.width(), header.height());
        Dimensions target = source.fitWithin(request.box());
        int denominator = denominator(source, target, request);
        DecodedJpeg decoded;
        try {
            decoded = decoder.decode(jpeg, denominator, request.maxPixels(), request.control()::aborted);
        }
        catch (JpegException e) {
            if (request.control().aborted()) {
                throw new RejectedImageException(ThumbnailatorResizer.ABORTED, e);
            }
            if (e instanceof JpegLimitException) {
                throw new RejectedImageException("not a decodable JPEG: " + e.getMessage(), e);
            }
            throw new RejectedImageException("fast decoder: " + e.getMessage(), e);
        }
        if (!decoded.complete()) {
            routeIncomplete(jpeg, header, decoded);
        }
        if (ImageIoDecoder.leavesAlphaOut(header)) {
            // grey and alpha with a grey profile: the grey through the profile, opaque, as the fallback draws it
            decoded = decoded.withoutAlpha();
        }
        boolean resizeHere = (denominator > 1 || !target.equals(source))
                && Math.min(target.width(), target.height()) > 2;
        BufferedImage image;
        try {
            Optional<ICC_ColorSpace> inkSpace = decoded.hasInks()
                    ? InksToSrgb.space(header.iccBroken() ? Optional.empty() : header.iccProfile()) : Optional.empty();
            image = inkSpace.isPresent() ? inksToSrgb(decoded, inkSpace.get(), resizeHere, target) : null;
            if (image == null) {
                image = resizeHere ? decoded.resized(target.width(), target.height(), resampler) : decoded.image();
            }
        }
        catch (RuntimeException e) {
            // the decoder's safety net, extended to the pixels it now makes after decode() returned: a bug here costs
            // this file the fast path (the fuzz tests look through the net), never the thumbnail
            throw new RejectedImageException("fast decoder: cannot make the pixels: " + e, e);
        }
        if (!decoded.hasInks() && !decoded.hasAlpha() && header.iccProfile().isPresent() && !header.iccBroken()) {
            image = toSrgb(image, header.iccProfile().get(), header.componentCount() <= 2);
        }
        return new Decoded(image, source, denominator);
    }

    /**
     * Who draws a file whose data ended early or is corrupt, judged by its entropy-coded data rather than its size
     * (comments and APPn segments hold no image; this walk runs for such files only). Returns when this decoder's
     * rendering of what arrived is the thumbnail: libjpeg would need a coefficient buffer over its budget or render
     * more output passes than it may ({@link ImageIoDecoder#outputPassBudget}), the data holds less than a bit per
     * block of the frame, or less than a byte per block libjpeg would render
     * ({@link ImageIoDecoder#overDamagedRendering}: it renders the whole frame, whatever arrived). Throws for libjpeg
     * to render it (it resynchronises where this decoder gives up), or with a {@link JpegLimitException} cause when
     * there is next to nothing to show, as for a giant's header alone: a frame larger than
     * {@link ImageIoDecoder#COEFFICIENT_BUFFER_FLOOR}'s worth of blocks with less than a byte of data per
     * {@link JpegDecoder#MAX_BLOCKS_PER_BYTE} blocks. Below that floor a file cut short after its headers is drawn
     * grey, as libjpeg draws it (the corpus' Ultra HDR sample: 48 KB of metadata, no data).
     */
    private static void routeIncomplete(byte[] jpeg, JpegInfo header, DecodedJpeg decoded)
            throws RejectedImageException {
        ScanSummary scans = JpegDecoder.readScans(jpeg);
        if (header.coefficientBytes() > ImageIoDecoder.COEFFICIENT_BUFFER_FLOOR) {
            try {
                JpegDecoder.checkDataForSize(header, scans, JpegDecoder.MAX_BLOCKS_PER_BYTE);
            }
            catch (JpegLimitException e) {
                throw new RejectedImageException("not a decodable JPEG: " + e.getMessage(), e);
            }
        }
        long dataBytes = scans.entropyBytes();
        if (!ImageIoDecoder.overCoefficientBudget(header, dataBytes)
                && !ImageIoDecoder.certainlyIncomplete(header, dataBytes)
                && !ImageIoDecoder.overOutputPasses(header, scans)
                && !ImageIoDecoder.overDamagedRendering(header, scans)) {
            throw new RejectedImageException("fast decoder: "
                    + decoded.warnings().stream().findFirst().orElse("truncated or corrupt entropy-coded data"));
        }
    }

    /** The inks through their profile; null when the colour engine refuses it (the formula then). */
    private BufferedImage inksToSrgb(DecodedJpeg decoded, ICC_ColorSpace space, boolean resizeHere,
            Dimensions target) {
        int width = resizeHere ? target.width() : decoded.width();
        int height = resizeHere ? target.height() : decoded.height();
        byte[] inks = resizeHere ? decoded.resizedInks(width, height, resampler) : decoded.inks();
        return InksToSrgb.convert(inks, width, height, space).orElse(null);
    }

    /**
     * The DCT scale for the thumbnail, made smaller when needed to stay within the decode budget; beyond 1/8 the
     * budget cannot be met here and the fallback (source subsampling) takes over.
     */
    private static int denominator(Dimensions source, Dimensions target, Request request)
            throws RejectedImageException {
        int d = JpegDecoder.scaleDenominatorFor(source.width(), source.height(), target.width(), target.height());
        while (d < 8 && decodedPixels(source, d) > request.maxDecodedPixels()) {
            d *= 2;
        }
        if (decodedPixels(source, d) > request.maxDecodedPixels()) {
            throw new RejectedImageException("fast decoder: even 1/8 scale exceeds the decode budget");
        }
        return d;
    }

    private static long decodedPixels(Dimensions source, int d) {
        return ((source.width() + d - 1L) / d) * ((source.height() + d - 1L) / d);
    }

    /**
     * The IEC 61966-2.1 sRGB profile that most cameras and editors embed (HP/Microsoft's and its copies) says so in its
     * header: device manufacturer {@code 'IEC '} and model {@code 'sRGB'} (bytes 48-55).
     */
    static boolean isSrgb(byte[] icc) {
        return icc.length >= 128 && icc[48] == 'I' && icc[49] == 'E' && icc[50] == 'C' && icc[51] == ' '
                && icc[52] == 's' && icc[53] == 'R' && icc[54] == 'G' && icc[55] == 'B';
    }

    /** The decoded (device) values interpreted in the embedded profile, converted to sRGB. */
    static BufferedImage toSrgb(BufferedImage image, byte[] icc, boolean gray) {
        if (!gray && isSrgb(icc)) {
            // the values already are sRGB: building a colour transform would cost more than the whole decode
            return image;
        }
        try {
            ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(icc));
            int bands = gray ? 1 : 3;
            if (space.getNumComponents() != bands
                    || space.getType() != (gray ? ColorSpace.TYPE_GRAY : ColorSpace.TYPE_RGB)) {
                return image; // a profile that does not describe these samples: ignored, like TwelveMonkeys
            }
            int w = image.getWidth();
            int h = image.getHeight();
            int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, bands, null);
            byte[] samples = ((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                int p = rgb[i];
                if (gray) {
                    samples[i] = (byte) p;
                }
                else {
                    samples[3 * i] = (byte) (p >> 16);
                    samples[3 * i + 1] = (byte) (p >> 8);
                    samples[3 * i + 2] = (byte) p;
                }
            }
            ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE,
                    DataBuffer.TYPE_BYTE);
            BufferedImage tagged = new BufferedImage(model, raster, false, null);
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            return new ColorConvertOp(null).filter(tagged, out);
        }
        catch (CMMException | ProfileDataException | IllegalArgumentException e) {
            return image; // a profile the colour engine refuses: ignored rather than failing a decodable photo
        }
    }
}
