package io.github.lambdaimageprocessor.processing;

/**
 * The settings a thumbnail was made with, kept in its record so a backfill can tell which thumbnails are stale after
 * the settings change. Records written before settings were recorded have none, and count as stale.
 *
 * @param width the box width the thumbnail fits in
 * @param height the box height the thumbnail fits in
 * @param quality JPEG quality, 0.01 to 1.0
 * @param pipelineVersion the resizer's output version: raised when the same settings would now give a different
 *        thumbnail (a new resampling filter, a colour fix), so that a backfill remakes the old ones
 */
public record ThumbnailSettings(int width, int height, float quality, int pipelineVersion) {

    public ThumbnailSettings {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("thumbnail box must be positive, got " + width + "x" + height);
        }
        if (!(quality > 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in (0, 1], got " + quality);
        }
        if (pipelineVersion < 1) {
            throw new IllegalArgumentException("pipelineVersion must be positive, got " + pipelineVersion);
        }
    }

    @Override
    public String toString() {
        return width + "x" + height + " q" + quality + " v" + pipelineVersion;
    }
}
