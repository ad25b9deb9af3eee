package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.function.S3Events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.lambdaimageprocessor.aws.WebAppLog.assertOneWarning;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app in profile {@code aws} as one region of a pair (the active-region switch an SSM parameter, as
 * template.yaml's ACTIVE_REGION_PARAMETER sets it) when the switch cannot be read: a parameter that does not exist is a
 * configuration fault (502), an SSM that cannot be reached passes (503 with {@code Retry-After}), each named as
 * {@link AwsFailureHttpIT}'s failures of S3, DynamoDB and SNS are; a switch read but holding no region to act on is a
 * configuration fault of its own (502). Every service is reached through a
 * {@link FaultProxy} that breaks off SSM's answers while a test asks it to. {@link StandbyGateLambdaIT} has the
 * function on Lambda, which fails the event either way.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("aws")
@ExtendWith(OutputCaptureExtension.class)
class StandbyGateHttpIT {

    private static final MotoServer moto = MotoServer.shared();

    private static final String PARAMETER = "/image-processor/active-region";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AtomicBoolean cuttingSsm = new AtomicBoolean();

    private static final FaultProxy aws = proxy();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void awsProperties(DynamicPropertyRegistry registry) {
        AwsFixture.applicationProperties(aws.endpoint()).forEach((name, value) -> registry.add(name, () -> value));
        registry.add("image-processor.failover.active-region-parameter", () -> PARAMETER);
        registry.add("image-processor.failover.peer-region", () -> "eu-west-1");
        // each request reads the switch, and a failed read is not held for the next
        registry.add("image-processor.failover.refresh", () -> "0s");
    }

    @BeforeAll
    static void resourcesForTheStart() {
        AwsFixture.createFresh(moto);
    }

    @AfterAll
    static void stopTheProxy() {
        aws.close();
    }

    @BeforeEach
    void resources() {
        cuttingSsm.set(false);
        AwsFixture.createFresh(moto);
    }

    @Test
    void aMissingSwitchIsA502NamingSsm(CapturedOutput output) throws Exception {
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service resource missing");
        assertThat(problem.path("detail").asString()).startsWith("SSM has no such resource (ParameterNotFound)")
            .doesNotContain(PARAMETER);
        assertOneWarning(output.getOut().substring(logged), "502 PUT /images/photo.jpg: SSM GetParameter failed, not "
                + "found, error code ParameterNotFound, request id ");
    }

    @Test
    void anSsmThatCannotBeReachedIsA503WithRetryAfterAndTheRetrySucceeds(CapturedOutput output) throws Exception {
        setSwitch("us-east-1");
        cuttingSsm.set(true);
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("10");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Service unreachable");
        assertThat(problem.path("detail").asString()).startsWith("SSM could not be reached");
        assertOneWarning(output.getOut().substring(logged),
                "503 PUT /images/photo.jpg: SSM GetParameter failed, unreachable: Failed to read SSM parameter "
                        + PARAMETER + " in us-east-1: ");

        cuttingSsm.set(false);
        assertThat(put("/images/photo.jpg").statusCode()).isEqualTo(201);
    }

    @Test
    void aSwitchNamingNeitherRegionOfThePairIsA502NamingTheSwitch(CapturedOutput output) throws Exception {
        setSwitch("us-east-2");
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertUnusableSwitch(response);
        assertOneWarning(output.getOut().substring(logged), "502 PUT /images/photo.jpg: SSM parameter " + PARAMETER
                + " names us-east-2, which is neither this region (us-east-1) nor its peer (eu-west-1): fix the switch");
    }

    @Test
    void aSwitchHoldingNoRegionNameIsA502NamingTheSwitch(CapturedOutput output) throws Exception {
        setSwitch("primary");
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertUnusableSwitch(response);
        assertOneWarning(output.getOut().substring(logged), "502 PUT /images/photo.jpg: SSM parameter " + PARAMETER
                + " holds 'primary', which is not a region name such as us-east-1");
    }

    @Test
    void aSecureStringSwitchIsA502ThatLogsItsTypeNotItsCiphertext(CapturedOutput output) throws Exception {
        try (SsmClient ssm = moto.ssm()) {
            ssm.putParameter(request -> request.name(PARAMETER).value("us-east-1").type(ParameterType.SECURE_STRING)
                .overwrite(true));
        }
        int logged = output.getOut().length();

        HttpResponse<String> response = put("/images/photo.jpg");

        assertUnusableSwitch(response);
        String log = output.getOut().substring(logged);
        assertOneWarning(log, "502 PUT /images/photo.jpg: SSM parameter " + PARAMETER + " is a SecureString");
        assertThat(log).as("no ciphertext quoted").doesNotContain("holds '");
    }

    @Test
    void anEventPostedWhileTheSwitchIsUnusableIsA502AndOneLine(CapturedOutput output) throws Exception {
        setSwitch("us-east-2");
        int logged = output.getOut().length();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/processImage"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers
                .ofString(S3Events.event(S3Events.record("ObjectCreated:Put", AwsFixture.UPLOADS, "photo.jpg"))))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertUnusableSwitch(response);
        // the function's line for its record, which the answer does not repeat
        String log = output.getOut().substring(logged);
        assertThat(log.lines().filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")))
            .singleElement()
            .asString()
            .contains("Failed to process s3://uploads/photo.jpg: SSM parameter " + PARAMETER + " names us-east-2, "
                    + "which is neither this region (us-east-1) nor its peer (eu-west-1)");
        assertThat(log).doesNotContain("stack_trace");
    }

    /** A configuration fault of the switch: 502, no Retry-After, the switch named but neither its name nor value. */
    private static void assertUnusableSwitch(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("title").asString()).isEqualTo("Active-region switch unusable");
        assertThat(problem.path("detail").asString()).startsWith("This server's active-region switch holds a value "
                + "it cannot use")
            .contains("Trying again will not help")
            .doesNotContain(PARAMETER)
            .doesNotContain("us-east-2")
            .doesNotContain("primary");
    }

    private static void setSwitch(String region) {
        try (SsmClient ssm = moto.ssm()) {
            ssm.putParameter(request -> request.name(PARAMETER).value(region).type(ParameterType.STRING)
                .overwrite(true));
        }
    }

    /** The request's log: one WARN line saying what failed, and no stack trace. */
    private HttpResponse<String> put(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "image/jpeg")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes(TestImages.SMALL)))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** All services through a proxy that breaks off SSM's answer to every GetParameter while {@link #cuttingSsm}. */
    private static FaultProxy proxy() {
        try {
            return new FaultProxy(moto.endpoint(), Integer.MAX_VALUE,
                    exchange -> cuttingSsm.get() && "AmazonSSM.GetParameter"
                        .equals(exchange.getRequestHeaders().getFirst("X-Amz-Target")) ? FaultProxy.Fault.CUT_OFF : null);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
