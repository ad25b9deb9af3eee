package io.github.lambdaimageprocessor.function;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.Message;

/** The JSON of the event Lambda was invoked with, as Spring Cloud Function hands it to a function that takes bytes. */
final class EventJson {

    private EventJson() {
    }

    /**
     * The adapter hands a function the value of an event's top-level {@code payload} property instead of the event:
     * an object as its JSON (so {@code {"payload": event}} is taken as the event), a list as the list.
     *
     * @throws IllegalArgumentException when the adapter put something else than the JSON in the message
     */
    static byte[] of(Message<byte[]> message) {
        Object payload = message.getPayload(); // erased: the adapter's object, whatever the declared type
        return switch (payload) {
            case byte[] bytes -> bytes;
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("The event has a top-level \"payload\" property, which "
                    + "Spring Cloud Function's Lambda adapter takes for the whole event: send the event itself.");
        };
    }
}
