package io.github.lambdaimageprocessor.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import net.coobird.thumbnailator.Thumbnails;

/**
 * A {@link Resizer} that decodes with ImageIO (TwelveMonkeys' JPEG plugin when present) and resizes with
 * Thumbnailator. Only JPEG content is accepted, whatever the object's name.
 */
public final class ThumbnailatorResizer implements Resizer {

    private final ThumbnailSpec spec;

    public ThumbnailatorResizer(ThumbnailSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public Thumbnail resize(byte[] image) throws RejectedImageException {
        ImageFormat format = ImageFormat.detect(image);
        if (format != ImageFormat.JPEG) {
            throw new RejectedImageException("not a JPEG: content is " + format.displayName());
        }
        BufferedImage decoded = decode(image);
        Dimensions source = new Dimensions(decoded.getWidth(), decoded.getHeight());
        Dimensions target = source.fitWithin(spec.box());
        return new Thumbnail(encode(toRgb(decoded), target), source, target);
    }

    private BufferedImage decode(byte[] image) throws RejectedImageException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new RejectedImageException("not a decodable JPEG: no reader recognises the content");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > spec.maxPixels()) {
                    throw new RejectedImageException("image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " (" + pixels + " pixels), over the limit of " + spec.maxPixels() + " pixels");
                }
                if (pixels == 0) {
                    throw new RejectedImageException("not a decodable JPEG: header declares a zero size");
                }
                return reader.read(0);
            }
            finally {
                reader.dispose();
            }
        }
        catch (IOException | RuntimeException e) {
            // Decoders answer hostile input with all kinds of runtime exceptions; any of them means "cannot decode".
            throw new RejectedImageException("not a decodable JPEG: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        }
        finally {
            g.dispose();
        }
        return rgb;
    }

    private byte[] encode(BufferedImage image, Dimensions target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            Thumbnails.of(image)
                .forceSize(target.width(), target.height())
                .outputFormat("jpg")
                .outputQuality(spec.quality())
                .toOutputStream(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a JPEG thumbnail", e);
        }
        return out.toByteArray();
    }
}
