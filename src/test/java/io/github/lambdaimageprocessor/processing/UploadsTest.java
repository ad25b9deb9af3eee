package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UploadsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T15:00:00Z");

    private final List<Object[]> signed = new ArrayList<>();

    private final UploadSigner recordingSigner = (object, type, length, checksum, expiresAt) -> {
        signed.add(new Object[] { object, type, length, checksum, expiresAt });
        return new UploadTicket(object.key(), "/signed/" + object.key(), "PUT", Map.of("Content-Type", type),
                expiresAt);
    };

    private final Uploads uploads = new Uploads(recordingSigner, "uploads", "browser/", 1000, Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC), () -> UUID.fromString("00000000-0000-0000-0000-000000000042"), true);

    @Test
    void choosesAUniqueDatedKeyThatKeepsTheNameAndEndsInJpg() {
        UploadTicket ticket = uploads.start(new UploadRequest("My Holiday (1).JPEG", "image/jpeg", 500L, null));

        assertThat(ticket.key())
            .isEqualTo("browser/2026-12-03/00000000-0000-0000-0000-000000000042-my-holiday-1.jpg");
        assertThat(ticket.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(signed).singleElement()
            .satisfies(call -> assertThat(call).containsExactly(new ObjectRef("uploads", ticket.key()), "image/jpeg",
                    500L, null, NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void twoUploadsOfTheSameFileGetDifferentKeys() {
        Uploads random = new Uploads(recordingSigner, "uploads", "", 1000, Duration.ofMinutes(5));
        UploadRequest request = new UploadRequest("a.jpg", "image/jpeg", 1L, null);

        assertThat(random.start(request).key()).isNotEqualTo(random.start(request).key()).endsWith("-a.jpg");
    }

    @Test
    void aNameWithoutUsableCharactersBecomesPhoto() {
        assertThat(Uploads.safeName("../../🌸🎉.jpg")).isEqualTo("photo");
        assertThat(Uploads.safeName(null)).isEqualTo("photo");
        assertThat(Uploads.safeName("C:\\Users\\me\\IMG_0001.jpg")).isEqualTo("img_0001");
        assertThat(Uploads.safeName("x".repeat(300) + ".jpg")).hasSize(60);
    }

    /** A gallery of photos named in another script showed "photo.jpg" under each: the name stays in its script. */
    @Test
    void aNameKeepsItsLettersInAnyScript() {
        assertThat(Uploads.safeName("../../東京.jpg")).isEqualTo("東京");
        assertThat(Uploads.safeName("Фото Отпуск (2).JPG")).isEqualTo("фото-отпуск-2");
        assertThat(Uploads.safeName("صورة العطلة.jpg")).isEqualTo("صورة-العطلة");
        assertThat(Uploads.safeName("नमस्ते.jpg")).as("combining vowel signs kept").isEqualTo("नमस्ते");
        // what a Mac sends (e + combining acute) and what Windows sends (é) are one key
        assertThat(Uploads.safeName("Cafe\u0301.jpg")).isEqualTo("caf\u00e9").isEqualTo(Uploads.safeName("Café.jpg"));
        // emoji, bidi overrides and other format characters are no letters
        assertThat(Uploads.safeName("\u202Egpj.exe🌸 beach.jpg")).isEqualTo("gpj.exe-beach");
    }

    /** A store that cannot name files in other scripts (a local app under LANG=C) gets ASCII names, accents dropped. */
    @Test
    void aStoreThatTakesOnlyAsciiKeysGetsAsciiNames() {
        Uploads ascii = new Uploads(recordingSigner, "uploads", "", 1000, Duration.ofMinutes(5), false);

        assertThat(ascii.start(new UploadRequest("Café Crème.jpg", "image/jpeg", 1L, null)).key())
            .endsWith("-cafe-creme.jpg");
        assertThat(ascii.start(new UploadRequest("Фото.jpg", "image/jpeg", 1L, null)).key()).endsWith("-photo.jpg");
        assertThat(uploads.start(new UploadRequest("Фото.jpg", "image/jpeg", 1L, null)).key()).endsWith("-фото.jpg");
    }

    @Test
    void aLongNameIsCutByLettersNotHalvesOfThemAndNotOnADash() {
        String cut = Uploads.safeName("\uD840\uDC00".repeat(300) + ".jpg");

        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(60);
        assertThat(cut).isEqualTo("\uD840\uDC00".repeat(60));
        assertThat(Uploads.safeName("a".repeat(59) + " b.jpg")).isEqualTo("a".repeat(59));
    }

    @Test
    void signsTheChecksumWhenGiven() {
        String checksum = Base64.getEncoder().encodeToString(new byte[32]);

        uploads.start(new UploadRequest("a.jpg", "image/jpeg", 5L, checksum));

        assertThat(signed.getFirst()[3]).isEqualTo(checksum);
    }

    @Test
    void refusesAnythingButJpeg() {
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.png", "image/png", 5L, null)))
            .withMessageContaining("image/jpeg")
            .withMessageContaining("image/png");
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", null, 5L, null)));
        assertThat(signed).isEmpty();
    }

    @Test
    void refusesAnEmptyMissingOrOverLimitLength() {
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", "image/jpeg", 0L, null)))
            .withMessageContaining("at least 1");
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", "image/jpeg", null, null)));
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", "image/jpeg", 1001L, null)))
            .withMessageContaining("over the upload limit of 1000 bytes");
        assertThat(uploads.start(new UploadRequest("a.jpg", "image/jpeg", 1000L, null))).isNotNull();
    }

    @Test
    void refusesAChecksumThatIsNotASha256() {
        assertThatExceptionOfType(InvalidUploadException.class)
            .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", "image/jpeg", 5L, "abc")));
        assertThatExceptionOfType(InvalidUploadException.class).isThrownBy(() -> uploads
            .start(new UploadRequest("a.jpg", "image/jpeg", 5L, Base64.getEncoder().encodeToString(new byte[20]))));
    }

    /**
     * The checksum is signed and sent as the client wrote it, and the store compares it with the canonical base64 of
     * the content's digest (the local route as a string, S3 as a header it refuses unless well-formed): a spelling
     * the decoder merely tolerates (no padding, stray low bits) would be granted, then refuse the right bytes.
     */
    @Test
    void refusesAChecksumNotInCanonicalBase64() {
        String canonical = Base64.getEncoder().encodeToString(new byte[32]);
        String unpadded = canonical.substring(0, canonical.length() - 1);
        String strayBits = canonical.substring(0, canonical.length() - 2) + "B=";

        for (String spelling : List.of(unpadded, strayBits)) {
            assertThatExceptionOfType(InvalidUploadException.class)
                .isThrownBy(() -> uploads.start(new UploadRequest("a.jpg", "image/jpeg", 5L, spelling)))
                .withMessageContaining("checksumSha256");
        }
        assertThat(signed).isEmpty();
    }

    @Test
    void refusesAMissingBody() {
        assertThatExceptionOfType(InvalidUploadException.class).isThrownBy(() -> uploads.start(null));
    }

    @Test
    void expiryIsPositiveAndAtMostFifteenMinutes() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new Uploads(recordingSigner, "b", "", 1, Duration.ofMinutes(15).plusSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Uploads(recordingSigner, "b", "", 1, Duration.ZERO));
        assertThat(new Uploads(recordingSigner, "b", "", 1, Duration.ofMinutes(15))).isNotNull();
    }
}
