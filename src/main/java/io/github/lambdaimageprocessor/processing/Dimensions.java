package io.github.lambdaimageprocessor.processing;

/**
 * Width and height in pixels, both positive.
 */
public record Dimensions(int width, int height) {

    public Dimensions {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, got " + width + "x" + height);
        }
    }

    public long pixels() {
        return (long) width * height;
    }

    /**
     * The largest size with this aspect ratio that fits within {@code box}; never larger than this size (a thumbnail
     * never upscales). Each side is at least one pixel.
     */
    public Dimensions fitWithin(Dimensions box) {
        if (width <= box.width && height <= box.height) {
            return this;
        }
        double scale = Math.min((double) box.width / width, (double) box.height / height);
        int w = (int) Math.max(1, Math.min(box.width, Math.round(width * scale)));
        int h = (int) Math.max(1, Math.min(box.height, Math.round(height * scale)));
        return new Dimensions(w, h);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
