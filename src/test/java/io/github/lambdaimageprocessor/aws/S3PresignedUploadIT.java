package io.github.lambdaimageprocessor.aws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The presigned upload and thumbnail links against moto's S3: what is signed (read from the URL S3 checks), the
 * expiry, and an upload made exactly as the ticket says, as a browser would.
 *
 * <p>What moto does not do (moto 5.2, checked): it verifies neither presigned signatures nor the checksum header of a
 * presigned PUT, so a PUT with another Content-Length, Content-Type or content is stored by moto. That S3 refuses
 * those rests on the signed-header list asserted here and on S3's documented SigV4 and checksum rules, not on a test
 * run here.
 */
class S3PresignedUploadIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static final Instant NOW = Instant.now();

    private final HttpClient http = HttpClient.newHttpClient();

    private AwsFixture aws;

    private S3Presigner presigner;

    @BeforeEach
    void createBuckets() {
        aws = AwsFixture.create(moto);
        presigner = S3Presigner.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    }

    @AfterEach
    void closePresigner() {
        presigner.close();
    }

    @Test
    void signsContentTypeLengthAndChecksumAndExpiresWhenAsked() {
        String checksum = Base64.getEncoder().encodeToString(sha256(new byte[] { 1, 2, 3 }));

        UploadTicket ticket = new S3PresignedUploadSigner(presigner, Clock.systemUTC())
            .sign(new ObjectRef(AwsFixture.UPLOADS, "browser/a.jpg"), "image/jpeg", 3, checksum,
                    Instant.now().plus(Duration.ofMinutes(5)));

        assertThat(S3PresignedUploadSigner.signedHeaderNames(ticket.url())).contains("host", "content-type",
                "content-length", "x-amz-checksum-sha256", "if-none-match");
        assertThat(ticket.url()).startsWith(moto.endpoint() + "/uploads/browser/a.jpg?")
            .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256");
        int expires = Integer.parseInt(ticket.url().replaceAll(".*X-Amz-Expires=(\\d+).*", "$1"));
        assertThat(expires).isBetween(295, 300);
        assertThat(ticket.expiresAt()).isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
        assertThat(ticket.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("Content-Type", "image/jpeg",
                "Content-Length", "3", "x-amz-checksum-sha256", checksum, "If-None-Match", "*"));
    }

    @Test
    void withoutAChecksumOnlyTypeAndLengthAreSigned() {
        UploadTicket ticket = new S3PresignedUploadSigner(presigner, Clock.systemUTC())
            .sign(new ObjectRef(AwsFixture.UPLOADS, "b.jpg"), "image/jpeg", 10, null, Instant.now().plusSeconds(60));

        assertThat(S3PresignedUploadSigner.signedHeaderNames(ticket.url()))
            .containsExactlyInAnyOrder("host", "content-type", "content-length", "if-none-match");
        assertThat(ticket.headers()).doesNotContainKey("x-amz-checksum-sha256");
    }

    @Test
    void anUploadSentAsTheTicketSaysIsStored() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        String checksum = Base64.getEncoder().encodeToString(sha256(photo));
        UploadTicket ticket = new S3PresignedUploadSigner(presigner, Clock.systemUTC())
            .sign(new ObjectRef(AwsFixture.UPLOADS, "browser/c.jpg"), "image/jpeg", photo.length, checksum,
                    Instant.now().plusSeconds(60));

        HttpResponse<String> put = put(ticket, photo);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).isPresent();
        var stored = aws.s3.getObjectAsBytes(request -> request.bucket(AwsFixture.UPLOADS).key("browser/c.jpg"));
        assertThat(stored.asByteArray()).isEqualTo(photo);
        assertThat(stored.response().contentType()).isEqualTo("image/jpeg");
    }

    /** Keys keep a client's name in its own script (Uploads.safeName): the presigned URL carries them encoded. */
    @Test
    void anUploadToAKeyInAnotherScriptIsStoredUnderThatKey() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        String key = "browser/2026-12-05/0b6e2a4e-5d1f-4f7e-9a51-1f0c2d3e4f5a-фото-отпуск-東京.jpg";
        UploadTicket ticket = new S3PresignedUploadSigner(presigner, Clock.systemUTC())
            .sign(new ObjectRef(AwsFixture.UPLOADS, key), "image/jpeg", photo.length, null,
                    Instant.now().plusSeconds(60));

        HttpResponse<String> put = put(ticket, photo);

        assertThat(ticket.url()).matches("\\p{ASCII}+");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(aws.s3.getObjectAsBytes(request -> request.bucket(AwsFixture.UPLOADS).key(key)).asByteArray())
            .isEqualTo(photo);
    }

    @Test
    void aTicketUploadsOnceAndASecondPutWithItIsRefused() throws Exception {
        byte[] photo = TestImages.bytes(TestImages.SMALL);
        UploadTicket ticket = new S3PresignedUploadSigner(presigner, Clock.systemUTC())
            .sign(new ObjectRef(AwsFixture.UPLOADS, "browser/once.jpg"), "image/jpeg", photo.length, null,
                    Instant.now().plusSeconds(60));
        byte[] other = photo.clone();
        other[other.length - 3] ^= 1;

        HttpResponse<String> first = put(ticket, photo);
        HttpResponse<String> second = put(ticket, other);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(412);
        assertThat(aws.s3.getObjectAsBytes(request -> request.bucket(AwsFixture.UPLOADS).key("browser/once.jpg"))
            .asByteArray()).isEqualTo(photo);
    }

    @Test
    void aThumbnailLinkReadsThePrivateObjectForAShortWhile() throws Exception {
        aws.s3.putObject(request -> request.bucket(AwsFixture.PROCESSED).key("thumbnails/e.jpg"),
                RequestBody.fromBytes(new byte[] { 9, 8, 7 }));

        URI link = new S3ThumbnailLinks(presigner, Duration.ofSeconds(60))
            .linkTo(new ObjectRef(AwsFixture.PROCESSED, "thumbnails/e.jpg"));

        assertThat(link.toString()).contains("X-Amz-Expires=60").contains("X-Amz-Signature=");
        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).containsExactly(9, 8, 7);
    }

    private HttpResponse<String> put(UploadTicket ticket, byte[] content) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ticket.url()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        // Content-Length is set by the HTTP client from the body, as a browser does
        ticket.headers().forEach((name, value) -> {
            if (!"Content-Length".equalsIgnoreCase(name)) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
