package io.github.lambdaimageprocessor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class HmacUploadSignerTest {

    private static final Instant NOW = Instant.parse("2026-12-03T15:00:00Z");

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static final ObjectRef OBJECT = new ObjectRef("uploads", "browser/2026-12-03/id-photo.jpg");

    private final HmacUploadSigner signer = new HmacUploadSigner(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void signsAUrlOnItsOwnRouteWithTheHeadersToSend() {
        UploadTicket ticket = signer.sign(OBJECT, "image/jpeg", 1234, null, NOW.plusSeconds(300));

        assertThat(ticket.url()).startsWith("/local-uploads/browser/2026-12-03/id-photo.jpg?expires=")
            .contains("&signature=");
        assertThat(ticket.method()).isEqualTo("PUT");
        assertThat(ticket.headers()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Content-Type", "image/jpeg", "Content-Length", "1234", "If-None-Match", "*"));
        assertThat(ticket.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void acceptsExactlyWhatWasSigned() {
        Map<String, String> query = query(signer.sign(OBJECT, "image/jpeg", 3, null, NOW.plusSeconds(300)));

        assertThatNoException().isThrownBy(() -> {
            signer.verify(OBJECT, "image/jpeg", 3, null, query.get("expires"), query.get("signature"));
            signer.verifyContent(3, null, new byte[3]);
        });
    }

    @Test
    void refusesAnotherLengthTypeKeyOrChecksum() {
        String checksum = Base64.getEncoder().encodeToString(sha256(new byte[3]));
        Map<String, String> query = query(signer.sign(OBJECT, "image/jpeg", 3, checksum, NOW.plusSeconds(300)));
        String expires = query.get("expires");
        String signature = query.get("signature");

        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 4, checksum, expires, signature));
        assertForbidden(() -> signer.verify(OBJECT, "text/plain", 3, checksum, expires, signature));
        assertForbidden(() -> signer.verify(new ObjectRef("uploads", "other.jpg"), "image/jpeg", 3, checksum, expires,
                signature));
        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, expires, signature));
        assertThatNoException().isThrownBy(() -> signer.verify(OBJECT, "image/jpeg", 3, checksum, expires, signature));
    }

    @Test
    void refusesATamperedSignatureOrExpiry() {
        Map<String, String> query = query(signer.sign(OBJECT, "image/jpeg", 3, null, NOW.plusSeconds(300)));
        String signature = query.get("signature");
        String tampered = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        String later = Long.toString(Long.parseLong(query.get("expires")) + 3600);

        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, query.get("expires"), tampered));
        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, later, signature));
        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, null, null));
        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, "soon", signature));
    }

    @Test
    void refusesAnExpiredUrl() {
        UploadTicket ticket = signer.sign(OBJECT, "image/jpeg", 3, null, NOW.plusSeconds(300));
        Map<String, String> query = query(ticket);
        HmacUploadSigner later = new HmacUploadSigner(SECRET, Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC));

        assertThatExceptionOfType(ApiException.class)
            .isThrownBy(() -> later.verify(OBJECT, "image/jpeg", 3, null, query.get("expires"), query.get("signature")))
            .withMessageContaining("expired")
            .satisfies(e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aUrlSignedWithAnotherSecretIsRefused() {
        Map<String, String> query = query(new HmacUploadSigner("another secret of 32 bytes......".getBytes(
                StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC))
            .sign(OBJECT, "image/jpeg", 3, null, NOW.plusSeconds(300)));

        assertForbidden(() -> signer.verify(OBJECT, "image/jpeg", 3, null, query.get("expires"),
                query.get("signature")));
    }

    @Test
    void refusesContentThatDiffersFromTheSignedLengthOrChecksum() {
        String checksum = Base64.getEncoder().encodeToString(sha256(new byte[3]));

        assertThatExceptionOfType(ApiException.class).isThrownBy(() -> signer.verifyContent(3, null, new byte[2]))
            .satisfies(e -> assertThat(e.status()).isEqualTo(400));
        assertThatExceptionOfType(ApiException.class)
            .isThrownBy(() -> signer.verifyContent(3, checksum, new byte[] { 1, 2, 3 }))
            .withMessageContaining("SHA-256");
        assertThatNoException().isThrownBy(() -> signer.verifyContent(3, checksum, new byte[3]));
    }

    private static void assertForbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatExceptionOfType(ApiException.class).isThrownBy(call)
            .satisfies(e -> assertThat(e.status()).isEqualTo(403));
    }

    static Map<String, String> query(UploadTicket ticket) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String parameter : ticket.url().substring(ticket.url().indexOf('?') + 1).split("&")) {
            query.put(parameter.substring(0, parameter.indexOf('=')), parameter.substring(parameter.indexOf('=') + 1));
        }
        return query;
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
