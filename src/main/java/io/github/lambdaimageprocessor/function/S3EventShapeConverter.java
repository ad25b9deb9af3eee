package io.github.lambdaimageprocessor.function;

import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.SmartMessageConverter;

/**
 * Stands before the AWS event converter for {@code processImage}'s input: an event that is not an S3 event it can
 * parse ({@link S3EventShape}) fails the invocation saying what it lacks, where the parser's own failure names a class
 * it could not load. A well-formed event is left to the AWS converter (this one converts nothing). The failure is an
 * {@link IllegalArgumentException}, as {@link S3EventFunction}'s own refusal of an event is, so an on-failure
 * destination shows one error type for events that are not S3's.
 */
final class S3EventShapeConverter implements SmartMessageConverter {

    private final JsonMapper json;

    S3EventShapeConverter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Object fromMessage(Message<?> message, Class<?> targetClass, Object conversionHint) {
        return fromMessage(message, targetClass);
    }

    @Override
    public Object fromMessage(Message<?> message, Class<?> targetClass) {
        if (!S3Event.class.equals(targetClass)) {
            return null;
        }
        JsonNode event;
        try {
            event = switch (message.getPayload()) {
                case byte[] bytes -> json.readTree(bytes);
                case String text -> json.readTree(text.getBytes(StandardCharsets.UTF_8));
                default -> null;
            };
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("The event is not valid JSON: " + e.getOriginalMessage());
        }
        if (event == null) {
            return null; // already an object: nothing to check here
        }
        String problem = S3EventShape.problem(event, "The event");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return null;
    }

    @Override
    public Message<?> toMessage(Object payload, MessageHeaders headers, Object conversionHint) {
        return null;
    }

    @Override
    public Message<?> toMessage(Object payload, MessageHeaders headers) {
        return null;
    }
}
