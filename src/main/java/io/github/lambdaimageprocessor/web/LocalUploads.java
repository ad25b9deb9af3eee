package io.github.lambdaimageprocessor.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import org.springframework.stereotype.Component;

/**
 * Makes the event S3 would send for an upload through {@code POST /images}: the eTag is the MD5 of the content (as S3
 * computes it for a single-part upload) and the sequencer grows with every upload, so the processor tells versions
 * apart and orders them exactly as it does for real S3 events. One per application, shared by every route that takes
 * uploads, so no two uploads get the same sequencer.
 */
@Component
final class LocalUploads {

    private final AtomicLong lastSequencer = new AtomicLong();

    UploadEvent next(ObjectRef object, byte[] content) {
        // microseconds since the epoch, bumped when two uploads share one: increasing across restarts too
        long sequencer = lastSequencer.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000));
        return new UploadEvent(object, (long) content.length,
                new ObjectVersion(null, md5(content), Long.toHexString(sequencer)), null);
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
