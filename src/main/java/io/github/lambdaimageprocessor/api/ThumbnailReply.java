package io.github.lambdaimageprocessor.api;

import java.net.URI;

/** How {@code GET /thumbnails/{key}} answers: with the bytes (local), or a redirect to a short-lived link (AWS). */
public sealed interface ThumbnailReply {

    /** The thumbnail itself. */
    record Content(byte[] jpeg, String contentType) implements ThumbnailReply {
    }

    /** A 302 to a presigned GET. */
    record Redirect(URI location) implements ThumbnailReply {
    }
}
