package io.github.lambdaimageprocessor.thumbnail;

import java.io.ByteArrayOutputStream;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;

/**
 * Motion-JPEG frames (webcams, AVI/MJPEG extractions) omit their Huffman tables and rely on the standard ones from
 * ITU T.81 Annex K. libjpeg-turbo inserts them; the libjpeg 6b in Temurin and Corretto does not ("Huffman table 0x00
 * was not defined"). Inserting them ourselves gives the same result on every JDK.
 */
final class StandardHuffmanTables {

    private StandardHuffmanTables() {
    }

    /** The file with a DHT segment holding the four standard tables inserted before its first scan. */
    static byte[] insertBefore(byte[] jpeg, int firstScanOffset) {
        ByteArrayOutputStream dht = new ByteArrayOutputStream(512);
        table(dht, 0x00, JPEGHuffmanTable.StdDCLuminance);
        table(dht, 0x01, JPEGHuffmanTable.StdDCChrominance);
        table(dht, 0x10, JPEGHuffmanTable.StdACLuminance);
        table(dht, 0x11, JPEGHuffmanTable.StdACChrominance);
        byte[] tables = dht.toByteArray();
        byte[] out = new byte[jpeg.length + 4 + tables.length];
        System.arraycopy(jpeg, 0, out, 0, firstScanOffset);
        int at = firstScanOffset;
        out[at++] = (byte) 0xFF;
        out[at++] = (byte) 0xC4;
        out[at++] = (byte) ((tables.length + 2) >> 8);
        out[at++] = (byte) (tables.length + 2);
        System.arraycopy(tables, 0, out, at, tables.length);
        at += tables.length;
        System.arraycopy(jpeg, firstScanOffset, out, at, jpeg.length - firstScanOffset);
        return out;
    }

    private static void table(ByteArrayOutputStream out, int classAndId, JPEGHuffmanTable table) {
        out.write(classAndId);
        for (short length : table.getLengths()) {
            out.write(length);
        }
        for (short value : table.getValues()) {
            out.write(value);
        }
    }
}
