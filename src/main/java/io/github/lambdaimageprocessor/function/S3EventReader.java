package io.github.lambdaimageprocessor.function;

import java.io.ByteArrayInputStream;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code processImage}'s input, the event's JSON, into the AWS event model. An event that is not an S3 event
 * the model can hold ({@link S3EventShape}) is refused saying what it lacks, where the model's parser would fail
 * naming a class it could not load. The model is filled by the Lambda event serializer, as Spring Cloud Function's
 * AWS converter fills it: plain Jackson reads no records ({@code Records} against {@code records}).
 */
final class S3EventReader {

    /** Refuses a property named twice: Jackson would keep the last, and what the sender meant is anyone's guess. */
    private final ObjectReader json;

    private final PojoSerializer<S3Event> events;

    S3EventReader(JsonMapper json) {
        this.json = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.events = LambdaEventSerializers.serializerFor(S3Event.class, S3EventReader.class.getClassLoader());
    }

    /**
     * @throws IllegalArgumentException saying what is wrong when the bytes are not one S3 event, so an on-failure
     *         destination shows one error type for every event that is not S3's
     */
    S3Event read(byte[] event) {
        JsonNode tree;
        try {
            tree = json.readTree(event);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("The event is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree != null && tree.isArray()) {
            throw new IllegalArgumentException("The event is a JSON array: processImage takes one S3 event, a JSON "
                    + "object with a \"Records\" array (see events/s3-put.json); send each event in an invocation of "
                    + "its own.");
        }
        String problem = S3EventShape.problem(tree, "The event");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return events.fromJson(new ByteArrayInputStream(event));
    }
}
