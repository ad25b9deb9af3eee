package io.github.lambdaimageprocessor.function;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.ImageApi;
import io.github.lambdaimageprocessor.processing.UploadRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the body of {@code POST /uploads} as the web app and the Lambda HTTP API both take it: strictly, so a field the
 * request does not have, or one named twice, is refused rather than ignored, and from bytes, where Jackson detects UTF-16 and UTF-32 and
 * skips a UTF-8 byte order mark (a String would carry the mark into a 400).
 */
public final class UploadRequestReader {

    private final ObjectReader reader;

    public UploadRequestReader(JsonMapper json) {
        // a field named twice is refused like an unknown one: Jackson keeps the last, so {"checksumSha256": "<digest>",
        // "checksumSha256": null} was granted unchecked while its client believed it checked
        this.reader = json.readerFor(UploadRequest.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * The request, or null for a JSON {@code null} (which {@link ImageApi#startUpload} refuses as empty).
     *
     * @throws ApiException 400 for a field the request does not have, or JSON that does not fit it
     */
    public UploadRequest read(byte[] body) {
        try {
            return reader.readValue(body);
        }
        catch (UnrecognizedPropertyException e) {
            throw ImageApi.unknownUploadField(e.getPropertyName());
        }
        catch (JacksonException e) {
            throw ApiException.badRequest("The body is not the expected JSON: " + e.getOriginalMessage());
        }
    }
}
