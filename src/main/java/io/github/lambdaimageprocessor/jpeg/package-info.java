/**
 * A pure-Java (JDK only) JPEG decoder that scales in the DCT domain: it reconstructs each 8x8 block at 8x8, 4x4, 2x2 or
 * 1x1 pixels, so a thumbnail never pays for the full-size image. It reads baseline, extended (8-bit Huffman) and
 * progressive JPEGs with 1 (grey), 3 (YCbCr or RGB) or 4 (CMYK or YCCK, handed over as inks for a colour profile to
 * convert) components, and with 2 or 4 whose last one ImageIO reads as alpha (drawn over black, as ImageIO's picture
 * is drawn on an opaque one), and integer sampling ratios; everything else (12-bit, arithmetic coding, lossless,
 * hierarchical) raises an {@link io.github.lambdaimageprocessor.jpeg.UnsupportedJpegException}
 * so the caller can fall back to ImageIO. The entry point is {@link io.github.lambdaimageprocessor.jpeg.JpegDecoder}.
 * Parsing, entropy decoding, the inverse DCT, upsampling and colour conversion live in separate package-private classes.
 */
package io.github.lambdaimageprocessor.jpeg;
