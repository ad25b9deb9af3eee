package io.github.lambdaimageprocessor.thumbnail;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import io.github.lambdaimageprocessor.jpeg.JpegDecoder;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;
import io.github.lambdaimageprocessor.jpeg.JpegLimitException;
import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import net.coobird.thumbnailator.Thumbnails;

/**
 * A {@link Resizer} for JPEG content (decided by content, whatever the object's name): checks the header against the
 * limits before anything is decoded, decodes through a {@link Decoder} (the DCT-scaling {@link DctScalingDecoder}
 * first, then TwelveMonkeys at reduced resolution for large images), resizes with a Lanczos-3 convolution
 * ({@link ConvolutionResampler}), applies the EXIF orientation, and writes a fresh sRGB JPEG that carries no metadata
 * from the source.
 *
 * <p>Each image runs on a worker thread with a deadline; past it the decode is aborted and the image rejected, so one
 * pathological file cannot hold the function until its own timeout.
 */
public final class ThumbnailatorResizer implements Resizer {

    /**
     * The version of what this resizer outputs for given settings. Raise it when a change makes different thumbnails
     * from the same settings (resampling filter, colour handling, encoder), so that a backfill remakes the old ones.
     * Version 2: DCT-scaled photos are resampled plane by plane before the conversion to RGB, and a colour profile is
     * applied to the thumbnail rather than to the reduced image (1-2 levels apart on average once encoded). Version 3:
     * photos decoded at full size (under about 1024 px on the side that fits) are resampled plane by plane too (0.5-2
     * levels apart, the same mean SSIM against a full-decode reference, 0.61x the CPU). Version 4: CMYK and YCCK
     * photos take the fast decoder, resampled as inks and converted to sRGB at the thumbnail's size (0-1.25 levels
     * from TwelveMonkeys' full decode converted first; a tenth of its CPU or less). Version 5: a CMYK profile that
     * TwelveMonkeys refuses but the JDK can convert inks from (an input profile without the reverse table) is applied
     * by the fast decoder rather than ignored (15-18 levels of red and blue on average on the one such test file).
     * Version 6: two components, and four without an Adobe marker, take the fast decoder, drawn as the fallback drew
     * them (alpha over black, or CMYK; 0.5-1.2 levels from the fallback's thumbnails on average once encoded), and so
     * do frames whose components share an id (0.5-1.35 levels).
     */
    public static final int PIPELINE_VERSION = 6;

    static final String ABORTED = "decoding was aborted";

    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        // ImageIO's streams (Thumbnailator's encode, TwelveMonkeys' decode) keep their cache in memory rather than in a
        // temporary file per image: the bytes are in memory already, and a file created and deleted per thumbnail
        // costs system calls and, on file systems without a journal, makes every later file creation slower. A
        // JVM-wide setting, which suits any server process.
        ImageIO.setUseCache(false);
    }

    private final ThumbnailSpec spec;

    private final List<Decoder> decoders;

    /** How long a timed-out image may still hold its caller while its decoder notices the abort. */
    private static final java.time.Duration ABANDONED_GRACE = java.time.Duration.ofSeconds(10);

    private final ExecutorService workers;

    public ThumbnailatorResizer(ThumbnailSpec spec) {
        // the DCT-scaling decoder first (fast, pure Java); ImageIO/TwelveMonkeys for everything it declines
        this(spec, List.of(new DctScalingDecoder(), new ImageIoDecoder()));
    }

    /** With the decoders to try, in order; the first one that decodes the image wins. */
    ThumbnailatorResizer(ThumbnailSpec spec, List<Decoder> decoders) {
        this(spec, decoders, Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "thumbnail-" + THREADS.incrementAndGet());
            // A worker abandoned after its deadline must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** With the threads that decode, each image on one of them so its time limit can be enforced. */
    ThumbnailatorResizer(ThumbnailSpec spec, List<Decoder> decoders, ExecutorService workers) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.decoders = List.copyOf(decoders);
        this.workers = Objects.requireNonNull(workers, "workers");
        if (this.decoders.isEmpty()) {
            throw new IllegalArgumentException("at least one decoder");
        }
    }

    @Override
    public Optional<String> refusalByHead(byte[] head) {
        // ImageFormat decides on the first 512 bytes at most: the head's verdict is the whole object's
        ImageFormat format = ImageFormat.detect(head);
        return format == ImageFormat.JPEG ? Optional.empty()
                : Optional.of("not a JPEG: content is " + format.displayName());
    }

    @Override
    public Thumbnail resize(byte[] image) throws RejectedImageException {
        Optional<String> refusal = refusalByHead(image);
        if (refusal.isPresent()) {
            throw new RejectedImageException(refusal.get());
        }
        JpegInfo header = JpegDecoder.readHeader(image);
        checkBeforeDecoding(header, image);
        Decoder.Control control = new Decoder.Control();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        // whoever claims it first: the worker, to run, or the caller at the deadline, for a worker not yet started
        // (a cancelled task never runs, so its finally would never complete 'finished')
        AtomicBoolean claimed = new AtomicBoolean();
        Future<Thumbnail> work = workers.submit(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return null;
            }
            try {
                return thumbnail(image, header, control);
            }
            finally {
                finished.complete(null);
            }
        });
        try {
            return work.get(spec.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            control.abort();
            if (claimed.compareAndSet(false, true)) {
                finished.complete(null);
            }
            work.cancel(true);
            String reason = "took longer than the time limit of " + spec.timeLimit().toMillis()
                    + " ms to decode and resize; aborted";
            if (!awaitAbandoned(finished)) {
                throw new StillRunningException(reason, finished);
            }
            throw new RejectedImageException(reason);
        }
        catch (InterruptedException e) {
            control.abort();
            work.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making a thumbnail", e);
        }
        catch (ExecutionException e) {
            throw unwrap(e, image.length);
        }
    }

    /**
     * Waits, a bounded while, for an aborted worker to actually stop: decoders notice the abort only at their next
     * row or progress callback, and until then they hold the image's raster (native memory too, for libjpeg). Returning
     * first would let the caller's concurrency limit start the next image beside it, beyond the memory the limit is
     * meant to bound; a worker still running after that is handed to the limit ({@link StillRunningException}).
     *
     * @return whether the worker has stopped
     */
    private boolean awaitAbandoned(CompletableFuture<Void> finished) {
        try {
            finished.get(Math.min(ABANDONED_GRACE.toMillis(), spec.timeLimit().toMillis()), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finished.isDone();
        }
        catch (TimeoutException | ExecutionException e) {
            return finished.isDone();
        }
    }

    /**
     * The worker's outcome as the caller sees it. An {@link OutOfMemoryError} (the ImageIO fallback already turns its
     * own into rejections) fails this image only, as an unchecked exception the caller reports for the one record,
     * rather than leaving as an {@link Error} that ends the invocation; what the worker allocated is garbage by now.
     */
    private static RejectedImageException unwrap(ExecutionException e, int bytes) {
        Throwable cause = e.getCause();
        if (cause instanceof RejectedImageException rejected) {
            return rejected;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof OutOfMemoryError oom) {
            throw new IllegalStateException("Ran out of memory making a thumbnail of this " + bytes
                    + "-byte image (" + oom.getMessage() + ")", oom);
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("Failed to make a thumbnail", cause);
    }

    /**
     * Everything that can be decided from the header alone: no decoder is created, nothing is allocated. Files
     * without a frame header the walk could find are left to the decoder (which repeats the size checks).
     */
    private void checkBeforeDecoding(JpegInfo header, byte[] image) throws RejectedImageException {
        if (header.firstScanOffset() < 0) {
            // no scan to decode: a file cut off in its header would otherwise be refused for what the decoders make
            // of the missing bytes ("no frame header", "Bogus Huffman table definition", "Bogus marker length")
            Optional<String> cutOff = JpegDecoder.headerCutOff(image);
            if (cutOff.isPresent()) {
                throw new RejectedImageException("not a decodable JPEG: truncated: the file ends inside its header ("
                        + cutOff.get() + ")");
            }
        }
        if (!header.hasFrame()) {
            return;
        }
        if (header.width() == 0 || header.height() == 0) {
            throw new RejectedImageException("not a decodable JPEG: header declares a zero size (" + header.width()
                    + "x" + header.height() + ")");
        }
        Dimensions stored = new Dimensions(header.width(), header.height());
        if (stored.pixels() > spec.maxPixels()) {
            throw new RejectedImageException(overLimit(stored, spec.maxPixels()));
        }
        String sof = "SOF" + (header.frameMarker() - 0xC0);
        if (header.arithmetic()) {
            // libjpeg-turbo (Debian's OpenJDK) decodes these, the libjpeg 6b in Temurin and Corretto refuses: reject
            // everywhere, so the outcome does not depend on the JVM.
            throw new RejectedImageException("unsupported JPEG: arithmetic coding (" + sof + ")");
        }
        if (header.hierarchical()) {
            throw new RejectedImageException("unsupported JPEG: hierarchical process (" + sof + ")");
        }
        if (header.lossless()) {
            checkLossless(header, stored);
        }
        else if (header.precision() != 8) {
            throw new RejectedImageException("unsupported JPEG: " + header.precision()
                    + "-bit samples (only 8-bit DCT JPEGs are supported)");
        }
        if (header.componentCount() == 4 && header.alphaOver().isPresent() && header.iccProfile().isPresent()
                && !header.iccBroken() && InksToSrgb.takenAsFourComponents(header.iccProfile().get())) {
            // TwelveMonkeys reads the fourth component as alpha and the profile as inks, and fails once it has
            // decoded it all ("Numbers of destination Raster bands and destination color space components do not
            // match"): the verdict the file always had, before a decoder is paid for
            throw new RejectedImageException("unsupported JPEG: four components without an Adobe marker whose ids ("
                    + ids(header) + ") make the last one alpha, with a colour profile of four (CMYK) components: "
                    + "inks or colour and alpha, the file does not say which");
        }
    }

    /**
     * TwelveMonkeys decodes lossless JPEG in Java, at full resolution only, keeping about 4 bytes per sample beside
     * the 4-byte pixels it returns: the pixels allowed are those that fit in the memory {@code maxDecodedPixels} RGB
     * pixels would take (4.5 MP of colour, 9 MP of grey by default); and a 4-component image is refused from its
     * header rather than after a full decode. Whether the data can hold the samples (a bit each at least) is the
     * fallback's check, from the entropy-coded bytes its walk counts: the file's size would count padding.
     */
    private void checkLossless(JpegInfo header, Dimensions stored) throws RejectedImageException {
        int components = header.componentCount();
        if (components != 1 && components != 3) {
            throw new RejectedImageException("unsupported JPEG: lossless image with " + components
                    + " components (only grey and colour are decoded)");
        }
        long maxPixels = spec.maxDecodedPixels() * 3 / (4L * components + 4);
        if (stored.pixels() > maxPixels) {
            throw new RejectedImageException("unsupported JPEG: lossless image of " + stored.pixels()
                    + " pixels, over the " + maxPixels + " a lossless " + (components == 1 ? "grey" : "colour")
                    + " image may have: it is decoded at full resolution");
        }
    }

    private static String ids(JpegInfo header) {
        StringBuilder ids = new StringBuilder();
        for (int id : header.componentIds()) {
            ids.append(ids.isEmpty() ? "" : ", ").append(id < 128 && Character.isLetter(id)
                    ? "'" + (char) id + "'" : String.valueOf(id));
        }
        return ids.toString();
    }

    static String overLimit(Dimensions size, long maxPixels) {
        return "image is " + size + " (" + size.pixels() + " pixels), over the limit of " + maxPixels + " pixels";
    }

    private Thumbnail thumbnail(byte[] image, JpegInfo header, Decoder.Control control)
            throws RejectedImageException {
        Orientation orientation = Orientation.ofExif(header.exifOrientation());
        Dimensions storedBox = orientation.displayed(spec.box());
        Decoder.Decoded decoded = decode(image, header,
                new Decoder.Request(storedBox, spec.maxPixels(), spec.maxDecodedPixels(), control));
        Dimensions storedTarget = decoded.source().fitWithin(storedBox);
        // at a reduced resolution the picture spans source/reduction pixels; the raster rounds that up
        Resampling resampling = new Resampling((double) decoded.source().width() / decoded.reduction(),
                (double) decoded.source().height() / decoded.reduction());
        return new Thumbnail(encode(toRgb(decoded.image()), storedTarget, orientation, resampling),
                orientation.displayed(decoded.source()), orientation.displayed(storedTarget), orientation.exif(),
                SourceColorSpace.describe(header));
    }

    private Decoder.Decoded decode(byte[] image, JpegInfo header, Decoder.Request request)
            throws RejectedImageException {
        RejectedImageException failure = null;
        for (Decoder decoder : decoders) {
            try {
                return decoder.decode(image, header, request);
            }
            catch (RejectedImageException e) {
                if (request.control().aborted() || e.getCause() instanceof JpegLimitException) {
                    // a file built to be slow: the next decoder would refuse it too, after more work
                    throw e;
                }
                // the last decoder (the most lenient one) gives the reason users see; earlier attempts ride along
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        // Grey (also 16-bit grey from lossless files) becomes R=G=B; Java2D's blit copies the levels unchanged.
        return drawInto(new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB), image);
    }

    /** Draws {@code source} at the origin of {@code target}, converting pixel formats as needed. */
    private static BufferedImage drawInto(BufferedImage target, java.awt.Image source) {
        Graphics2D g = target.createGraphics();
        try {
            g.drawImage(source, 0, 0, null);
        }
        finally {
            g.dispose();
        }
        return target;
    }

    /**
     * Thumbnailator makes the thumbnail: it sizes the image with our resampling plugged in as its resizer, turns it
     * upright, and writes a fresh JPEG from pixels only, so nothing of the source's metadata (EXIF, GPS, XMP, IPTC, ICC,
     * comments) can leak.
     */
    private byte[] encode(BufferedImage image, Dimensions storedTarget, Orientation orientation,
            Resampling resampling) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            Thumbnails.of(image)
                .forceSize(storedTarget.width(), storedTarget.height())
                .resizer(resampling)
                .addFilter(orientation::apply)
                .imageType(BufferedImage.TYPE_INT_RGB)
                .outputFormat("jpg")
                .outputQuality(spec.quality())
                .toOutputStream(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a JPEG thumbnail", e);
        }
        return out.toByteArray();
    }

    /**
     * The resampling Thumbnailator runs: a stretched-kernel Lanczos-3 convolution (libvips' method) rather than
     * Thumbnailator's progressive bilinear halving, which is softer, aliases more (-0.004 mean SSIM on the benchmark
     * photos), and collapses a side of 1 or 2 px (a 1000x1 strip came out black); such tiny sides are area-averaged.
     *
     * @param extentWidth how many columns of the decoded raster the picture spans (fractional after a DCT-scaled
     *        decode, see {@link ConvolutionResampler})
     * @param extentHeight the same for rows
     */
    private record Resampling(double extentWidth, double extentHeight)
            implements net.coobird.thumbnailator.resizers.Resizer {

        /**
         * The extent when it ends in the raster's last pixel (both decoders round up, so it does), else the whole
         * raster: a decoder that rounds otherwise costs a sub-pixel shift, never a failed image.
         */
        private static double fit(double extent, int raster) {
            return extent <= raster && extent > raster - 1 ? extent : raster;
        }

        @Override
        public void resize(BufferedImage source, BufferedImage destination) {
            int width = destination.getWidth();
            int height = destination.getHeight();
            boolean sameSize = source.getWidth() == width && source.getHeight() == height;
            if (!sameSize && Math.min(width, height) <= 2) {
                drawInto(destination, source.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING));
                return;
            }
            BufferedImage scaled = sameSize ? source
                    : ConvolutionResampler.resize(source, fit(extentWidth, source.getWidth()),
                            fit(extentHeight, source.getHeight()), width, height);
            if (scaled.getType() == destination.getType()) {
                destination.getRaster().setDataElements(0, 0, scaled.getRaster());
            }
            else {
                drawInto(destination, scaled);
            }
        }
    }
}
