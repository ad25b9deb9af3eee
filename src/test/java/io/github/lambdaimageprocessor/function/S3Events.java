package io.github.lambdaimageprocessor.function;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** S3 events for tests, written and parsed the way Lambda and the HTTP route receive them. */
public final class S3Events {

    private S3Events() {
    }

    /** The event as the function receives it over HTTP: no Lambda context header. */
    public static Message<S3Event> parse(String json) {
        return MessageBuilder.withPayload(LambdaEventSerializers
            .serializerFor(S3Event.class, S3Events.class.getClassLoader())
            .fromJson(json)).build();
    }

    /** The event's JSON, as Lambda's handler and the HTTP route hand it to the {@code processImage} bean. */
    public static Message<byte[]> json(String json) {
        return MessageBuilder.withPayload(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    public static String record(String eventName, String bucket, String encodedKey) {
        return """
                {"eventSource":"aws:s3","eventTime":"2026-11-26T00:00:00.000Z","eventName":"%s","s3":{"bucket":{"name":"%s"},
                 "object":{"key":"%s","size":1000,"eTag":"abc","sequencer":"00A"}}}""".formatted(eventName, bucket,
                encodedKey);
    }

    public static String event(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }
}
