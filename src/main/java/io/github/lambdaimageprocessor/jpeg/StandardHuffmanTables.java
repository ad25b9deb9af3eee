package io.github.lambdaimageprocessor.jpeg;

import java.io.ByteArrayOutputStream;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;

/**
 * The Annex K example Huffman tables, which Motion-JPEG frames (webcams, AVI/MJPEG extractions) leave out and rely on.
 * This decoder uses them for any table a scan selects but the file never defined, like libjpeg-turbo; for libjpeg 6b
 * (Temurin, Corretto), which does not ("Huffman table 0x00 was not defined"), {@link #insertBefore} writes them into the
 * file, so the result is the same on every JDK. The JDK ships the tables, so they are not copied here.
 */
public final class StandardHuffmanTables {

    private static final HuffmanTable DC_LUMA = build(JPEGHuffmanTable.StdDCLuminance);
    private static final HuffmanTable DC_CHROMA = build(JPEGHuffmanTable.StdDCChrominance);
    private static final HuffmanTable AC_LUMA = build(JPEGHuffmanTable.StdACLuminance);
    private static final HuffmanTable AC_CHROMA = build(JPEGHuffmanTable.StdACChrominance);

    private StandardHuffmanTables() {
    }

    static HuffmanTable dc(int slot) {
        return slot == 0 ? DC_LUMA : DC_CHROMA;
    }

    static HuffmanTable ac(int slot) {
        return slot == 0 ? AC_LUMA : AC_CHROMA;
    }

    /** The file with a DHT segment holding the four standard tables inserted at {@code offset} (the first SOS). */
    public static byte[] insertBefore(byte[] jpeg, int offset) {
        ByteArrayOutputStream dht = new ByteArrayOutputStream(512);
        write(dht, 0x00, JPEGHuffmanTable.StdDCLuminance);
        write(dht, 0x01, JPEGHuffmanTable.StdDCChrominance);
        write(dht, 0x10, JPEGHuffmanTable.StdACLuminance);
        write(dht, 0x11, JPEGHuffmanTable.StdACChrominance);
        byte[] tables = dht.toByteArray();
        byte[] out = new byte[jpeg.length + 4 + tables.length];
        System.arraycopy(jpeg, 0, out, 0, offset);
        int at = offset;
        out[at++] = (byte) 0xFF;
        out[at++] = (byte) 0xC4;
        out[at++] = (byte) ((tables.length + 2) >> 8);
        out[at++] = (byte) (tables.length + 2);
        System.arraycopy(tables, 0, out, at, tables.length);
        at += tables.length;
        System.arraycopy(jpeg, offset, out, at, jpeg.length - offset);
        return out;
    }

    private static void write(ByteArrayOutputStream out, int classAndId, JPEGHuffmanTable table) {
        out.write(classAndId);
        for (short length : table.getLengths()) {
            out.write(length);
        }
        for (short value : table.getValues()) {
            out.write(value);
        }
    }

    private static HuffmanTable build(JPEGHuffmanTable table) {
        short[] lengths = table.getLengths();
        short[] values = table.getValues();
        int[] counts = new int[16];
        for (int i = 0; i < 16; i++) {
            counts[i] = lengths[i];
        }
        int[] symbols = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            symbols[i] = values[i] & 0xFF;
        }
        try {
            return new HuffmanTable(counts, symbols);
        }
        catch (MalformedJpegException e) {
            throw new IllegalStateException("the JDK's standard Huffman tables are valid", e);
        }
    }
}
