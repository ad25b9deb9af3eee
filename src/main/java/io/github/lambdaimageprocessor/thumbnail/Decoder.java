package io.github.lambdaimageprocessor.thumbnail;

import java.awt.image.BufferedImage;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;

/**
 * The decode step of {@link ThumbnailatorResizer}, behind a seam so a faster decoder (DCT-domain scaling) can be tried
 * before the ImageIO one without touching the rest of the pipeline.
 */
interface Decoder {

    /**
     * Decodes a JPEG whose header has passed the limits, possibly at a reduced resolution.
     *
     * @param jpeg the whole file
     * @param header what {@link JpegDecoder#readHeader} found
     * @param request the size the result is for and the limits that bound the work
     * @return the image in stored orientation, as sRGB (or grey) pixels
     * @throws RejectedImageException when this decoder cannot decode the file (the message says why)
     */
    Decoded decode(byte[] jpeg, JpegInfo header, Request request) throws RejectedImageException;

    /**
     * @param box the thumbnail box in stored orientation (its sides swapped when the EXIF orientation turns the image)
     * @param maxPixels the source pixel limit, for decoders that find a size the header walk did not
     * @param maxDecodedPixels decode at a reduced resolution when the full one would hold more pixels than this
     * @param control lets the caller abort a decode that takes too long
     */
    record Request(Dimensions box, long maxPixels, long maxDecodedPixels, Control control) {

        public Request {
            Objects.requireNonNull(box, "box");
            Objects.requireNonNull(control, "control");
            if (maxPixels <= 0 || maxDecodedPixels <= 0) {
                throw new IllegalArgumentException("pixel limits must be positive");
            }
        }
    }

    /**
     * @param image the decoded pixels in stored orientation, possibly reduced, or already the thumbnail: the source
     *        fitted in the request's box (then nothing is resampled after it)
     * @param source the full size of the source in stored orientation
     * @param reduction by how much each side was reduced while decoding (1 = full resolution)
     */
    record Decoded(BufferedImage image, Dimensions source, int reduction) {

        public Decoded {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(source, "source");
            if (reduction < 1) {
                throw new IllegalArgumentException("reduction must be at least 1");
            }
        }
    }

    /** Abort wiring between the thread waiting for a decode and the thread doing it. */
    final class Control {

        private final AtomicBoolean aborted = new AtomicBoolean();

        private final AtomicReference<Runnable> onAbort = new AtomicReference<>();

        /** Registers what stops the current work (e.g. {@code ImageReader::abort}); runs it at once if aborted. */
        void onAbort(Runnable action) {
            onAbort.set(action);
            if (aborted.get()) {
                action.run();
            }
        }

        void abort() {
            if (aborted.compareAndSet(false, true)) {
                Runnable action = onAbort.get();
                if (action != null) {
                    action.run();
                }
            }
        }

        boolean aborted() {
            return aborted.get();
        }
    }
}
