package io.github.lambdaimageprocessor.jpeg;

/**
 * Brings one subsampled component to the output resolution, one row at a time, by linear interpolation between the
 * centres of the component's samples. For a factor of 2 the weights are 3/4 and 1/4, exactly libjpeg's "fancy"
 * (triangle) upsampling; the same formula serves the rarer factors 3 and 4 (4:1:1). Replicating samples instead is
 * cheaper but leaves blocky colour edges that a later downscale does not hide at these small scales. Edges repeat the
 * last valid sample, never the MCU padding.
 */
final class Upsampler {

    private final byte[] plane;
    private final int stride;
    private final int validWidth;
    private final int validHeight;
    private final int fx;
    private final int fy;
    private final int outWidth;
    private final int[] x0;
    private final int[] x1;
    private final int[] wx;
    private final int[] rowSum;

    /**
     * @param validWidth samples of this component that cover the image (the rest of the plane is MCU padding)
     * @param fx horizontal upsampling factor (hMax / h), fy vertical
     */
    Upsampler(byte[] plane, int stride, int validWidth, int validHeight, int fx, int fy, int outWidth) {
        this.plane = plane;
        this.stride = stride;
        this.validWidth = validWidth;
        this.validHeight = validHeight;
        this.fx = fx;
        this.fy = fy;
        this.outWidth = outWidth;
        this.x0 = new int[outWidth];
        this.x1 = new int[outWidth];
        this.wx = new int[outWidth];
        this.rowSum = new int[validWidth];
        for (int x = 0; x < outWidth; x++) {
            int[] tap = taps(x, fx, validWidth);
            x0[x] = tap[0];
            x1[x] = tap[1];
            wx[x] = tap[2];
        }
    }

    /**
     * Source samples and weight (0-256, of the second) for output position {@code o}: the output centre
     * {@code o + 1/2} sits at {@code (o + 1/2) / f - 1/2} in source sample coordinates.
     */
    private static int[] taps(int o, int f, int valid) {
        int pos256 = ((2 * o + 1) * 256) / (2 * f) - 128;
        int s0 = Math.floorDiv(pos256, 256);
        int w = pos256 - s0 * 256;
        int a = Math.max(0, Math.min(valid - 1, s0));
        int b = Math.max(0, Math.min(valid - 1, s0 + 1));
        return new int[] { a, b, w };
    }

    void row(int y, byte[] out) {
        int[] t = taps(y, fy, validHeight);
        int r0 = t[0] * stride;
        int r1 = t[1] * stride;
        int wy = t[2];
        byte[] p = plane;
        if (fx == 1) {
            if (wy == 0 || r0 == r1) {
                System.arraycopy(p, r0, out, 0, outWidth);
                return;
            }
            for (int x = 0; x < outWidth; x++) {
                out[x] = (byte) (((p[r0 + x] & 0xFF) * (256 - wy) + (p[r1 + x] & 0xFF) * wy + 128) >> 8);
            }
            return;
        }
        int[] sum = rowSum;
        for (int x = 0; x < validWidth; x++) {
            sum[x] = (p[r0 + x] & 0xFF) * (256 - wy) + (p[r1 + x] & 0xFF) * wy;
        }
        for (int x = 0; x < outWidth; x++) {
            int w = wx[x];
            out[x] = (byte) ((sum[x0[x]] * (256 - w) + sum[x1[x]] * w + 32768) >> 16);
        }
    }
}
