package io.github.lambdaimageprocessor.jpeg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.lambdaimageprocessor.TestImages;

/**
 * One row of {@code corpus/MANIFEST.tsv}, and what this decoder should do with the file.
 */
record CorpusFile(String path, String process, String components, String bits) {

    enum Expectation {
        /** An 8-bit Huffman-coded grey, 3-component or 4-component (CMYK, YCCK) JPEG: decoded, close to the reference. */
        DECODES,
        /** A JPEG flavour this decoder leaves to ImageIO: {@link UnsupportedJpegException}. */
        UNSUPPORTED,
        /** Broken, hostile or not a JPEG: any outcome but a hang or an unchecked exception. */
        ANY_CHECKED_OUTCOME
    }

    static List<CorpusFile> all() {
        try (InputStream in = CorpusFile.class.getResourceAsStream("/corpus/MANIFEST.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<CorpusFile> files = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t", -1);
                files.add(new CorpusFile(f[0], f[12], f[13], f[15]));
            }
            return files;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Expectation expectation() {
        String category = path.substring(0, path.indexOf('/'));
        if (category.equals("malformed") || category.equals("bomb") || category.equals("not-jpeg")) {
            return Expectation.ANY_CHECKED_OUTCOME;
        }
        boolean huffman = process.equals("Baseline DCT, Huffman coding")
                || process.equals("Extended sequential DCT, Huffman coding")
                || process.equals("Progressive DCT, Huffman coding");
        if (huffman && bits.equals("8") && (components.equals("1") || components.equals("3") || components.equals("4"))) {
            return Expectation.DECODES;
        }
        if (process.equals("-")) {
            return Expectation.ANY_CHECKED_OUTCOME; // the manifest's tools could not even classify it
        }
        return Expectation.UNSUPPORTED;
    }

    byte[] bytes() {
        return TestImages.bytes(path);
    }

    /**
     * The file without its ICC profile segments, so that the reference decoder (TwelveMonkeys, which converts
     * embedded profiles to sRGB) renders the same coded values this decoder returns (colour management is the
     * caller's job).
     */
    byte[] bytesWithoutIcc() {
        byte[] data = bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        out.write(data, 0, 2);
        int p = 2;
        while (p + 4 <= data.length && (data[p] & 0xFF) == 0xFF) {
            int marker = data[p + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
            if (p + 2 + length > data.length) {
                break;
            }
            boolean icc = marker == 0xE2 && length >= 14
                    && new String(data, p + 4, 11, StandardCharsets.ISO_8859_1).equals("ICC_PROFILE");
            if (!icc) {
                out.write(data, p, 2 + length);
            }
            p += 2 + length;
        }
        out.write(data, p, data.length - p);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return path;
    }
}
