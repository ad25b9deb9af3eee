package io.github.lambdaimageprocessor.function;

import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class S3EventShapeConverterTest {

    private static final String GOOD = """
            {"Records":[{"eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
              "s3":{"bucket":{"name":"uploads"},"object":{"key":"a.jpg"}}}]}
            """;

    private final S3EventShapeConverter converter = new S3EventShapeConverter(JsonMapper.builder().build());

    @Test
    void leavesAWellFormedEventToTheAwsConverter() {
        assertThat(converter.fromMessage(MessageBuilder.withPayload(GOOD.getBytes(StandardCharsets.UTF_8)).build(),
                S3Event.class)).isNull();
        assertThat(converter.fromMessage(MessageBuilder.withPayload(GOOD).build(), S3Event.class)).isNull();
    }

    @Test
    void looksAtNothingButS3Events() {
        assertThat(converter.fromMessage(MessageBuilder.withPayload("{}").build(), S3BatchRequest.class)).isNull();
        assertThat(converter.fromMessage(MessageBuilder.withPayload(new S3Event(java.util.List.of())).build(),
                S3Event.class)).isNull();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "2026-11-26T00:00:00.000Z",
            "2026-11-26T00:00:00.000+0000", "2026-11-26T00:00:00.000", "2026-11-26" })
    void takesEveryTimeTheAwsEventParserTakes(String time) {
        String event = GOOD.replace("2026-11-26T00:00:00.000Z", time);

        assertThat(converter.fromMessage(MessageBuilder.withPayload(event).build(), S3Event.class)).isNull();
        assertThat(S3Events.parse(event).getPayload().getRecords().getFirst().getEventTime()).isNotNull();
    }

    @Test
    void saysWhatAHandMadeEventLacks() {
        String noTime = GOOD.replace("\"eventTime\":\"2026-11-26T00:00:00.000Z\",", "\"eventTime\":\"yesterday\",");
        String noKey = GOOD.replace(",\"object\":{\"key\":\"a.jpg\"}", "");

        assertThatIllegalArgumentException()
            .isThrownBy(() -> converter.fromMessage(MessageBuilder.withPayload(noTime).build(), S3Event.class))
            .withMessage("The event is not an S3 event: every record needs an ISO-8601 \"eventTime\" "
                    + "(see events/s3-put.json).");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> converter.fromMessage(MessageBuilder.withPayload(noKey).build(), S3Event.class))
            .withMessageContaining("every record needs \"s3\": {\"bucket\": {\"name\"}, \"object\": {\"key\"}}");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> converter.fromMessage(MessageBuilder.withPayload("{\"Records\":").build(),
                    S3Event.class))
            .withMessageStartingWith("The event is not valid JSON: ");
    }
}
