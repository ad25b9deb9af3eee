package io.github.lambdaimageprocessor;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Real-looking JPEGs of the flavours whose components libjpeg gives no colour model of their own: a photo written by
 * the JDK's JPEG writer as a raster of two components (grey and an alpha) or four (ids 1-4, as that writer wrote ARGB
 * pictures, or renumbered), and files of four components whose Adobe marker is taken out.
 */
public final class AlphaJpegs {

    /** What the raster holds, and the component ids the file says. */
    public enum Kind {
        /** Y'CbCr and alpha, ids 1-4: what the JDK's writer wrote for ARGB pictures. */
        YCC_ALPHA,
        /** R, G, B and alpha, ids 'R', 'G', 'B', 'A'. */
        RGB_ALPHA,
        /** R, G, B and alpha under the ids 'Y', 'C', 'c', 'A' (PhotoYCC), which ImageIO does not convert. */
        PHOTO_YCC_ALPHA,
        /** Grey and alpha. */
        GREY_ALPHA,
        /** Grey and an alpha of 255 everywhere. */
        GREY_OPAQUE
    }

    private AlphaJpegs() {
    }

    /**
     * The corpus photo as {@code kind}, quality 0.9 or progressive (the writer's default script). The alpha is 0 over
     * the left fifth, rises to 255 across the next three tenths, and is 0 again in a disc right of the centre.
     */
    public static byte[] photo(String photo, Kind kind, boolean progressive) {
        BufferedImage image = TestImages.decode(TestImages.bytes(photo));
        int width = image.getWidth();
        int height = image.getHeight();
        int bands = kind == Kind.GREY_ALPHA || kind == Kind.GREY_OPAQUE ? 2 : 4;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, bands, null);
        int[] pixel = new int[bands];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                int luma = clamp(0.299 * r + 0.587 * g + 0.114 * b);
                int alpha = alpha(x, y, width, height);
                switch (kind) {
                    case YCC_ALPHA -> {
                        pixel[0] = luma;
                        pixel[1] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
                        pixel[2] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
                        pixel[3] = alpha;
                    }
                    case RGB_ALPHA, PHOTO_YCC_ALPHA -> {
                        pixel[0] = r;
                        pixel[1] = g;
                        pixel[2] = b;
                        pixel[3] = alpha;
                    }
                    case GREY_ALPHA -> {
                        pixel[0] = luma;
                        pixel[1] = alpha;
                    }
                    case GREY_OPAQUE -> {
                        pixel[0] = luma;
                        pixel[1] = 255;
                    }
                }
                raster.setPixel(x, y, pixel);
            }
        }
        byte[] jpeg = write(raster, progressive);
        return switch (kind) {
            case RGB_ALPHA -> withComponentIds(jpeg, 'R', 'G', 'B', 'A');
            case PHOTO_YCC_ALPHA -> withComponentIds(jpeg, 'Y', 'C', 'c', 'A');
            default -> jpeg;
        };
    }

    private static int alpha(int x, int y, int width, int height) {
        double dx = x - 0.75 * width;
        double dy = y - 0.5 * height;
        if (dx * dx + dy * dy < 0.01 * height * height) {
            return 0;
        }
        double across = (double) x / width;
        return across < 0.2 ? 0 : across < 0.5 ? (int) Math.round((across - 0.2) / 0.3 * 255) : 255;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The raster as the JDK's JPEG writer writes it: no JFIF or Adobe marker, component ids 1 to n. */
    private static byte[] write(Raster raster, boolean progressive) {
        ImageWriter writer = jdkWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            else {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            writer.write(null, new IIOImage(raster, null, null), param);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageWriter jdkWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /** The file with the frame's component ids replaced, in frame order, and every scan's selectors with them. */
    public static byte[] withComponentIds(byte[] jpeg, int... ids) {
        byte[] out = jpeg.clone();
        int[] old = null;
        int p = 2;
        while (p + 4 <= out.length) {
            int marker = out[p + 1] & 0xFF;
            if ((out[p] & 0xFF) != 0xFF || marker == 0xD9) {
                break;
            }
            int length = (out[p + 2] & 0xFF) << 8 | out[p + 3] & 0xFF;
            if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
                old = new int[out[p + 9] & 0xFF];
                for (int i = 0; i < old.length; i++) {
                    old[i] = out[p + 10 + 3 * i] & 0xFF;
                    out[p + 10 + 3 * i] = (byte) ids[i];
                }
            }
            p += 2 + length;
            if (marker == 0xDA) {
                for (int i = 0, n = out[p - length + 2] & 0xFF; i < n; i++) {
                    int selector = p - length + 3 + 2 * i;
                    out[selector] = (byte) ids[indexOf(old, out[selector] & 0xFF)];
                }
                // the entropy-coded data: to the next marker that is neither a stuffed byte nor a restart
                while (p + 1 < out.length && !((out[p] & 0xFF) == 0xFF && (out[p + 1] & 0xFF) != 0
                        && ((out[p + 1] & 0xFF) < 0xD0 || (out[p + 1] & 0xFF) > 0xD7))) {
                    p++;
                }
            }
        }
        return out;
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new IllegalArgumentException("no component " + id);
    }

    /** The file without its Adobe APP14 segments (those before the first scan). */
    public static byte[] withoutAdobeMarker(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p + 1] & 0xFF) != 0xDA) {
            int length = (jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF;
            if ((jpeg[p + 1] & 0xFF) != 0xEE) {
                out.write(jpeg, p, 2 + length);
            }
            p += 2 + length;
        }
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }
}
