package io.github.lambdaimageprocessor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Test images from {@code src/test/resources/corpus} (a copy of the project's JPEG corpus; its MANIFEST.tsv names
 * each file's source and licence).
 */
public final class TestImages {

    /** A 6 MP photo, 4:2:0, no EXIF. */
    public static final String PHOTO = "valid/flickr-2725x2225.jpg";

    /** A real camera file with EXIF, 800x600. */
    public static final String CAMERA_PHOTO = "valid/nikon-e950-444.jpg";

    /** A JPEG smaller than the thumbnail box. */
    public static final String SMALL = "edge-sizes/16x16.jpg";

    private TestImages() {
    }

    public static byte[] bytes(String corpusPath) {
        try (InputStream in = TestImages.class.getResourceAsStream("/corpus/" + corpusPath)) {
            if (in == null) {
                throw new IllegalArgumentException("No test image corpus/" + corpusPath);
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new IllegalArgumentException("not an image");
            }
            return image;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
