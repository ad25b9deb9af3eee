package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What S3 answers for a bucket in another region than the client's, and for an object of an SSE-KMS bucket whose key
 * is disabled, as the SDK reads it off the wire: moto answers neither (it serves every bucket in every region and
 * checks no KMS key), so a stub S3 endpoint on the loopback interface sends S3's answers as S3 sends them, with
 * {@code x-amz-bucket-region}. Each is a configuration fault of its own kind, never an unexpected failure.
 */
class S3ImageStoreConfigurationFaultTest {

    private static final String PERMANENT_REDIRECT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed \
            using the specified endpoint. Please send all future requests to this endpoint.</Message>\
            <Endpoint>uploads.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>uploads</Bucket>\
            <RequestId>REDIRECTED</RequestId><HostId>host</HostId></Error>""";

    private static final String KMS_DISABLED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>KMS.DisabledException</Code><Message>arn:aws:kms:us-east-1:123456789012:key/1234abcd is \
            disabled.</Message><RequestId>KMS</RequestId><HostId>host</HostId></Error>""";

    /** By the key's first path segment: the status line and the body (none for a HEAD). */
    private static final Map<String, Map.Entry<String, String>> ANSWERS = Map.of("moved",
            Map.entry("301 Moved Permanently", PERMANENT_REDIRECT), "sealed",
            Map.entry("400 Bad Request", KMS_DISABLED));

    private StubS3 stub;

    private S3ImageStore store;

    @BeforeEach
    void startStub() throws IOException {
        stub = new StubS3(S3ImageStoreConfigurationFaultTest::answer);
        store = new S3ImageStore(stub.client());
    }

    @AfterEach
    void stopStub() throws Exception {
        stub.close();
    }

    private static void answer(String line, OutputStream out) throws IOException {
        String[] requestLine = line.split(" ");
        // the body is not read: a PutObject asks first (Expect: 100-continue) and gets the answer instead
        Map.Entry<String, String> answer = ANSWERS.get(requestLine[1].split("/")[2]);
        byte[] body = requestLine[0].equals("HEAD") ? new byte[0] : answer.getValue().getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + answer.getKey() + "\r\nContent-Type: application/xml\r\n"
                + "x-amz-bucket-region: eu-west-1\r\nx-amz-request-id: HEADER\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
    }

    @Test
    void aBucketInAnotherRegionIsWrongRegionForAReadAWriteAndALookUp() {
        AwsCallFailedException read = failure(() -> store.read(new ObjectRef("uploads", "moved/a.jpg"), null, 1000));
        AwsCallFailedException written = failure(() -> store.write(new ObjectRef("uploads", "moved/a.jpg"),
                new byte[] { 1 }, "image/jpeg", Map.of()));
        // a HEAD's answer has no body, so no code: the status tells
        AwsCallFailedException lookedUp = failure(() -> store.exists(new ObjectRef("uploads", "moved/a.jpg")));

        assertThat(read.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(read.errorCode()).isEqualTo("PermanentRedirect");
        assertThat(read.summary()).isEqualTo("S3 GetObject failed, wrong region, error code PermanentRedirect, "
                + "request id REDIRECTED");
        // for the log: where S3 says the bucket is
        assertThat(read.getMessage()).endsWith("; S3 says the bucket is in eu-west-1");
        assertThat(written.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(written.operation()).isEqualTo("PutObject");
        assertThat(lookedUp.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(lookedUp.errorCode()).isNull();
        assertThat(lookedUp.getMessage()).endsWith("; S3 says the bucket is in eu-west-1");
    }

    @Test
    void anObjectWhoseKmsKeyIsDisabledIsKeyUnusable() {
        AwsCallFailedException read = failure(() -> store.read(new ObjectRef("uploads", "sealed/a.jpg"), null, 1000));

        assertThat(read.kind()).isEqualTo(Kind.KEY_UNUSABLE);
        assertThat(read.errorCode()).isEqualTo("KMS.DisabledException");
        assertThat(read.getMessage()).doesNotContain("S3 says the bucket is in");
    }

    private static AwsCallFailedException failure(ThrowingSupplier<?> call) {
        AwsCallFailedException failure = catchThrowableOfType(AwsCallFailedException.class, call::get);
        assertThat(failure).isNotNull();
        return failure;
    }
}
