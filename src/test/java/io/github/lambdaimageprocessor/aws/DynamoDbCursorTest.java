package io.github.lambdaimageprocessor.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.lambdaimageprocessor.processing.InvalidCursorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The cursors of GET /images on DynamoDB: what the API handed out reads back, what DynamoDB would refuse does not. */
class DynamoDbCursorTest {

    private static String cursor(String listedAt, String id) {
        return Base64.getUrlEncoder().withoutPadding()
            .encodeToString((listedAt + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCursorOfAnIdThatFitsAKeyNamesIt() {
        assertThat(DynamoDbMetadataRepository.startKey(cursor("2026-12-05T05:00:00.000000000Z", "uploads/a.jpg"))
            .get("id").s()).isEqualTo("uploads/a.jpg");
    }

    @Test
    void aForgedCursorWithAnIdOverDynamoDbsKeyLimitIsRefusedNotSent() {
        String tooLong = "uploads/" + "é".repeat(1021); // 8 + 2042 bytes: over 2048

        assertThatExceptionOfType(InvalidCursorException.class)
            .isThrownBy(() -> DynamoDbMetadataRepository.startKey(cursor("2026-12-05T05:00:00.000000000Z", tooLong)));
    }
}
