package io.github.lambdaimageprocessor.jpeg;

/**
 * The file asks for more work or memory than its size can justify: more scans than any encoder writes, or more
 * block visits than its bytes can carry. Files built to be slow end here, in time proportional to their size, and no
 * other decoder should be tried on them. So does a file the fallback refuses too, at a point this decoder reaches for
 * less: a scan after the first that names a component twice, which libjpeg refuses once it has decoded the scans
 * before it. And a file whose fallback picture is not the file's: a sequential scan coding a component again, which
 * libjpeg blends with the earlier scan.
 */
public class JpegLimitException extends JpegException {

    public JpegLimitException(String message) {
        super(message);
    }
}
