package io.github.lambdaimageprocessor.function;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Resizer;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Primes the function before Lambda SnapStart takes its snapshot, so the first invocation after a restore runs warm
 * code: it resizes a generated photo (JPEG decoder, colour conversion, Thumbnailator, JPEG encoder), runs an S3 event
 * through the function as Lambda would (JSON to {@code S3Event}, the function, the result back to JSON; the event
 * names one of our own outputs, so it is skipped without any I/O), and looks up a record (the metadata client and,
 * on AWS, its connection). Nothing is written, nothing is notified.
 *
 * <p>Registered with {@link Core#getGlobalContext()}: on a JVM without checkpoint/restore (everywhere but SnapStart)
 * the hooks are simply never called.
 */
class SnapStartPriming implements Resource {

    private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);

    private final Resizer resizer;

    private final FunctionCatalog functions;

    private final ImageProcessor processor;

    private final MetadataRepository metadata;

    SnapStartPriming(Resizer resizer, FunctionCatalog functions, ImageProcessor processor,
            MetadataRepository metadata) {
        this.resizer = resizer;
        this.functions = functions;
        this.processor = processor;
        this.metadata = metadata;
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        Outcome outcome = prime();
        if (outcome.failed().isEmpty()) {
            log.info("Primed before the SnapStart snapshot: {}", outcome.primed());
        }
        else {
            // the snapshot is still valid without a step, only its first invocations are slower: warn, do not fail
            // the deployment
            log.warn("Priming before the SnapStart snapshot incomplete: primed {}, failed {}", outcome.primed(),
                    outcome.failed());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to undo: priming kept no state, and the SDK re-opens connections it finds closed
    }

    /**
     * What a priming run did.
     *
     * @param primed the steps that ran, in order
     * @param failed each step that failed, with why
     */
    record Outcome(List<String> primed, Map<String, String> failed) {

        Outcome {
            primed = List.copyOf(primed);
            failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        }
    }

    /** Runs every priming step; one that fails does not stop the others. */
    Outcome prime() {
        List<String> primed = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        step(primed, failed, "resizer", this::primeResizer);
        step(primed, failed, "function", this::primeFunction);
        step(primed, failed, "metadata",
                () -> metadata.find(new ObjectRef(processor.output().bucket(), "snapstart-priming")));
        return new Outcome(primed, failed);
    }

    private void primeResizer() {
        try {
            resizer.resize(samplePhoto());
        }
        catch (RejectedImageException e) {
            throw new IllegalStateException("the priming photo was rejected: " + e.getMessage(), e);
        }
    }

    private void primeFunction() {
        FunctionInvocationWrapper function = functions.lookup("processImage", "application/json");
        String ownOutput = processor.output().prefix() + "snapstart-priming.jpg";
        String event = """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                "eventTime":"2026-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
                "s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s"},"object":{"key":"%s","size":1}}}]}"""
            .formatted(processor.output().bucket(), ownOutput);
        Message<byte[]> message = MessageBuilder.withPayload(event.getBytes(StandardCharsets.UTF_8))
            .setHeader("contentType", "application/json")
            .build();
        Object result = function.apply(message);
        if (result == null) {
            throw new IllegalStateException("the function returned nothing");
        }
    }

    /** A 1024x768 gradient: large enough that the decoder takes its downscaling path, as real photos do. */
    private static byte[] samplePhoto() {
        BufferedImage image = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(200, 80, 20), 1024, 768, new Color(20, 90, 200)));
            g.fillRect(0, 0, 1024, 768);
        }
        finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void step(List<String> primed, Map<String, String> failed, String name, Runnable step) {
        try {
            step.run();
            primed.add(name);
        }
        catch (RuntimeException e) {
            failed.put(name, e.toString());
            log.warn("Priming step '{}' failed; the snapshot is taken without it", name, e);
        }
    }
}
