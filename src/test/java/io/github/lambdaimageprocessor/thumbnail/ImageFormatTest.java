package io.github.lambdaimageprocessor.thumbnail;

import java.nio.charset.StandardCharsets;

import io.github.lambdaimageprocessor.TestImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFormatTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({ "valid/flickr-2725x2225.jpg, JPEG", "valid/jpeg-content-with-png-extension.png, JPEG",
            "not-jpeg/png-1x1.jpg, PNG", "not-jpeg/gif-1x1.jpg, GIF", "not-jpeg/webp-300x400.jpg, WEBP",
            "not-jpeg/heic-256x256.jpg, HEIC", "not-jpeg/avif-300x400.jpg, AVIF", "not-jpeg/bmp-1x1.jpg, BMP",
            "not-jpeg/tiff-1x1.jpg, TIFF", "not-jpeg/pdf.jpg, PDF", "not-jpeg/svg-text.jpg, SVG",
            "not-jpeg/plain-text.jpg, TEXT", "not-jpeg/jpeg2000.jpg, JPEG_2000", "not-jpeg/jpeg-xl.jpg, JPEG_XL",
            "malformed/empty-0-bytes.jpg, EMPTY" })
    void detectsTheFormatFromContentNotName(String file, ImageFormat expected) {
        assertThat(ImageFormat.detect(TestImages.bytes(file))).isEqualTo(expected);
    }

    /** The major brand of an ISO-BMFF file's ftyp box names HEIF stills and sequences alike; the reason names HEIC. */
    @ParameterizedTest(name = "brand {0}")
    @ValueSource(strings = { "heic", "heix", "hevc", "hevx", "mif1", "msf1" })
    void everyHeifBrandIsHeic(String brand) {
        byte[] ftyp = ("\0\0\0\u0018ftyp" + brand + "\0\0\0\0mif1heic").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(ImageFormat.detect(ftyp)).isEqualTo(ImageFormat.HEIC);
    }
}
