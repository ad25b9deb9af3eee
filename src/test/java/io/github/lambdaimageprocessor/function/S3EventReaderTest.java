package io.github.lambdaimageprocessor.function;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class S3EventReaderTest {

    private static final String GOOD = """
            {"Records":[{"eventTime":"2026-11-26T00:00:00.000Z","eventName":"ObjectCreated:Put",
              "s3":{"bucket":{"name":"uploads"},"object":{"key":"a.jpg"}}}]}
            """;

    private final S3EventReader reader = new S3EventReader(JsonMapper.builder().build());

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAWellFormedEventAsTheLambdaSerializerDoes() {
        var records = reader.read(utf8(GOOD)).getRecords();

        assertThat(records).hasSize(1);
        assertThat(records.getFirst().getS3().getObject().getKey()).isEqualTo("a.jpg");
        assertThat(records.getFirst().getEventName()).isEqualTo("ObjectCreated:Put");
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-26T00:00:00.000Z", "2026-11-26T00:00:00.000+0000", "2026-11-26T00:00:00.000",
            "2026-11-26" })
    void takesEveryTimeTheAwsEventParserTakes(String time) {
        String event = GOOD.replace("2026-11-26T00:00:00.000Z", time);

        assertThat(reader.read(utf8(event)).getRecords().getFirst().getEventTime()).isNotNull();
    }

    @Test
    void saysWhatAHandMadeEventLacks() {
        String noTime = GOOD.replace("\"eventTime\":\"2026-11-26T00:00:00.000Z\",", "\"eventTime\":\"yesterday\",");
        String noKey = GOOD.replace(",\"object\":{\"key\":\"a.jpg\"}", "");

        assertThatIllegalArgumentException().isThrownBy(() -> reader.read(utf8(noTime)))
            .withMessage("The event is not an S3 event: every record needs an ISO-8601 \"eventTime\" "
                    + "(see events/s3-put.json).");
        assertThatIllegalArgumentException().isThrownBy(() -> reader.read(utf8(noKey)))
            .withMessageContaining("every record needs \"s3\": {\"bucket\": {\"name\"}, \"object\": {\"key\"}}");
        assertThatIllegalArgumentException().isThrownBy(() -> reader.read(utf8("{\"Records\":")))
            .withMessageStartingWith("The event is not valid JSON: ");
    }

    @Test
    void refusesAnArrayOfEventsAndAPropertyNamedTwice() {
        assertThatIllegalArgumentException().isThrownBy(() -> reader.read(utf8("[" + GOOD + "]")))
            .withMessageStartingWith("The event is a JSON array: processImage takes one S3 event");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> reader.read(utf8(GOOD.replace("{\"Records\"", "{\"Records\":[],\"Records\""))))
            .withMessageStartingWith("The event is not valid JSON: Duplicate Object property \"Records\"");
    }
}
