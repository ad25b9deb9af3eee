package io.github.lambdaimageprocessor.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.RecordsFailedException;
import io.github.lambdaimageprocessor.function.InProcessLambda;
import io.github.lambdaimageprocessor.function.TestLambdaContext;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The standby gate on the path Lambda takes ({@code FunctionInvoker}, profile {@code aws}, {@code events/s3-put.json}),
 * configured as template.yaml configures a pair: this function runs in us-east-1 (moto's region), its peer is
 * eu-west-1, the switch is an SSM parameter. The refresh is 0 s here so that each test sees the switch it sets; the
 * refresh bound is {@link SsmActiveRegionIT}'s.
 */
class StandbyGateLambdaIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static final String PARAMETER = "/image-processor/active-region";

    private static final String KEY = "photos/my photo(1).jpg";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static FunctionInvoker invoker;

    private AwsFixture aws;

    private SsmClient ssm;

    @BeforeAll
    static void startTheHandlerAsLambdaDoes() {
        Map<String, String> environment = LambdaHandlerIT.handlerEnvironment();
        // what template.yaml's ACTIVE_REGION_PARAMETER and PEER_REGION set
        environment.put("image-processor.failover.active-region-parameter", PARAMETER);
        environment.put("image-processor.failover.peer-region", "eu-west-1");
        environment.put("image-processor.failover.refresh", "0s");
        // outside Lambda (no AWS_LAMBDA_FUNCTION_NAME) the start asks whether they exist (AwsResourceCheck)
        AwsFixture.createFresh(moto);
        invoker = InProcessLambda.start(environment);
    }

    @AfterAll
    static void forgetTheHandler() {
        invoker = null;
    }

    @BeforeEach
    void createResources() {
        aws = AwsFixture.create(moto);
        ssm = moto.ssm();
        // the object events/s3-put.json names (by its eTag)
        aws.upload(KEY, TestImages.bytes(TestImages.PHOTO), "image/jpeg");
    }

    private void setSwitch(String region) {
        ssm.putParameter(request -> request.name(PARAMETER).value(region).type(ParameterType.STRING).overwrite(true));
    }

    @Test
    void theActiveRegionProcessesTheUpload() throws IOException {
        setSwitch("us-east-1");

        JsonNode result = invoke("req-active").get(0);

        assertThat(result.get("status").asString()).isEqualTo("PROCESSED");
        assertThat(aws.item(AwsFixture.UPLOADS + "/" + KEY)).containsKey("status");
        assertThat(thumbnails().keyCount()).isEqualTo(1);
        assertThat(aws.notifications(1)).hasSize(1);
    }

    @Test
    void theStandbySkipsTheUploadAndWritesNothing() throws IOException {
        setSwitch("eu-west-1");

        JsonNode result = invoke("req-standby").get(0);

        assertThat(result.get("status").asString()).isEqualTo("SKIPPED");
        assertThat(result.get("reason").asString())
            .isEqualTo("this region (us-east-1) is the standby: SSM parameter " + PARAMETER
                    + " names eu-west-1 as the active region");
        assertThat(aws.item(AwsFixture.UPLOADS + "/" + KEY)).as("no record").isEmpty();
        assertThat(thumbnails().keyCount()).as("no thumbnail").isZero();
        assertThat(aws.allNotifications()).as("no notification").isEmpty();
    }

    @Test
    void afterAFailbackTheSameEventIsProcessed() throws IOException {
        setSwitch("eu-west-1");
        assertThat(invoke("req-1").get(0).get("status").asString()).isEqualTo("SKIPPED");

        setSwitch("us-east-1");

        assertThat(invoke("req-2").get(0).get("status").asString()).isEqualTo("PROCESSED");
        assertThat(aws.notifications(1)).hasSize(1);
    }

    @Test
    void aMissingSwitchFailsTheInvocationSoLambdaRetriesIt() {
        assertInvocationFailsWith("SSM parameter " + PARAMETER + " does not exist in us-east-1");
    }

    @Test
    void aSwitchNamingNeitherRegionFailsTheInvocationInsteadOfSkipping() {
        setSwitch("us-east-2");

        assertInvocationFailsWith("names us-east-2, which is neither this region (us-east-1) nor its peer (eu-west-1)");
    }

    @Test
    void anUnreadableSwitchFailsTheInvocation() {
        // a SecureString reads as ciphertext without decryption, which the function is not allowed
        ssm.putParameter(request -> request.name(PARAMETER).value("us-east-1").type(ParameterType.SECURE_STRING)
            .overwrite(true));

        assertInvocationFailsWith("SSM parameter " + PARAMETER + " is a SecureString, which reads as ciphertext");
    }

    private void assertInvocationFailsWith(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatExceptionOfType(RecordsFailedException.class)
            .isThrownBy(() -> invoker.handleRequest(
                    new ByteArrayInputStream(Files.readAllBytes(Path.of("events/s3-put.json"))), out,
                    new TestLambdaContext("req-failing")))
            .withMessageContaining("1 of 1 records failed")
            .withCauseInstanceOf(ActiveRegionUnavailableException.class)
            .withMessageContaining(message);
        assertThat(out.toByteArray()).as("no result claims success or a skip").isEmpty();
        assertThat(aws.item(AwsFixture.UPLOADS + "/" + KEY)).isEmpty();
        assertThat(aws.allNotifications()).isEmpty();
    }

    private ListObjectsV2Response thumbnails() {
        return aws.s3.listObjectsV2(request -> request.bucket(AwsFixture.PROCESSED));
    }

    private JsonNode invoke(String requestId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/s3-put.json"))), out,
                new TestLambdaContext(requestId));
        return JSON.readTree(out.toByteArray());
    }
}
