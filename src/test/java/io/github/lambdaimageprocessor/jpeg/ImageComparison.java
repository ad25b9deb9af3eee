package io.github.lambdaimageprocessor.jpeg;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Similarity measures for tests: a box-filtered reference at the decoder's scale, PSNR over RGB and the mean SSIM of
 * the luma (Wang et al. 2004, 8x8 windows with stride 4, uniform weights).
 */
final class ImageComparison {

    private ImageComparison() {
    }

    static BufferedImage toIntRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** Averages each {@code d x d} cell (clipped at the edges) into one pixel: what 1/d DCT scaling approximates. */
    static BufferedImage boxDownscale(BufferedImage src, int d) {
        int w = (src.getWidth() + d - 1) / d;
        int h = (src.getHeight() + d - 1) / d;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long r = 0, g = 0, b = 0;
                int n = 0;
                for (int sy = y * d; sy < Math.min((y + 1) * d, src.getHeight()); sy++) {
                    for (int sx = x * d; sx < Math.min((x + 1) * d, src.getWidth()); sx++) {
                        int p = src.getRGB(sx, sy);
                        r += p >> 16 & 0xFF;
                        g += p >> 8 & 0xFF;
                        b += p & 0xFF;
                        n++;
                    }
                }
                out.setRGB(x, y, (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n));
            }
        }
        return out;
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        int w = a.getWidth();
        int h = a.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int diff = (p >> shift & 0xFF) - (q >> shift & 0xFF);
                    se += diff * diff;
                }
            }
        }
        double mse = se / (3.0 * w * h);
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }

    static double ssim(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        double[] la = luma(a);
        double[] lb = luma(b);
        int win = Math.max(1, Math.min(8, Math.min(w, h)));
        int step = Math.max(1, win / 2);
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double total = 0;
        int count = 0;
        for (int y = 0; y + win <= h; y += step) {
            for (int x = 0; x + win <= w; x += step) {
                double ma = 0, mb = 0;
                for (int j = 0; j < win; j++) {
                    for (int i = 0; i < win; i++) {
                        ma += la[(y + j) * w + x + i];
                        mb += lb[(y + j) * w + x + i];
                    }
                }
                int n = win * win;
                ma /= n;
                mb /= n;
                double va = 0, vb = 0, cov = 0;
                for (int j = 0; j < win; j++) {
                    for (int i = 0; i < win; i++) {
                        double da = la[(y + j) * w + x + i] - ma;
                        double db = lb[(y + j) * w + x + i] - mb;
                        va += da * da;
                        vb += db * db;
                        cov += da * db;
                    }
                }
                va /= n;
                vb /= n;
                cov /= n;
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                count++;
            }
        }
        return total / count;
    }

    private static double[] luma(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] l = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                l[y * w + x] = 0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF);
            }
        }
        return l;
    }
}
