package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.github.lambdaimageprocessor.config.SettingException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesRequest;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesResponse;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What AWS refuses to tell (a role without s3:ListBucket, dynamodb:DescribeTable or sns:GetTopicAttributes, a bucket
 * in another region) does not stop the start: each is a warning saying why. moto grants everything, so these answers
 * come from clients that give them ({@link AwsResourceCheckIT} has the real ones).
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsResourceCheckTest {

    private static final ImageProcessorProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(
            Map.of("image-processor.topic-arn", "arn:aws:sns:us-east-1:123456789012:image-processed")))
        .bindOrCreate("image-processor", ImageProcessorProperties.class);

    @Test
    void whatAwsWillNotTellOnlyWarnsNamingWhy(CapturedOutput output) {
        S3Client s3 = new S3Client() {
            @Override
            public HeadBucketResponse headBucket(HeadBucketRequest request) {
                // a HEAD's refusal: no body, so no error code
                throw (S3Exception) S3Exception.builder()
                    .statusCode(request.bucket().equals("processed") ? 403 : 301)
                    .build();
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
        DynamoDbClient dynamoDb = new DynamoDbClient() {
            @Override
            public DescribeTableResponse describeTable(DescribeTableRequest request) {
                throw (DynamoDbException) DynamoDbException.builder()
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                    .build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
        SnsClient sns = new SnsClient() {
            @Override
            public GetTopicAttributesResponse getTopicAttributes(GetTopicAttributesRequest request) {
                throw (AuthorizationErrorException) AuthorizationErrorException.builder()
                    .statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AuthorizationError").build())
                    .build();
            }

            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }
        };

        assertThatNoException()
            .isThrownBy(new AwsResourceCheck(s3, dynamoDb, sns, PROPERTIES, false)::afterSingletonsInstantiated);

        assertThat(output.getAll())
            .contains("Could not check at start that the bucket 'processed' exists: (HTTP 403); the app starts all "
                    + "the same")
            .contains("Could not check at start that the bucket 'uploads' exists: (HTTP 301)")
            .contains("Could not check at start that the table 'processed-images' exists: AccessDeniedException "
                    + "(HTTP 400)")
            .contains("Could not check at start that the topic 'arn:aws:sns:us-east-1:123456789012:image-processed' "
                    + "exists: AuthorizationError (HTTP 403)");
    }

    /** Real clients, as Spring Cloud AWS builds them from the endpoint and path-style settings. */
    private static AwsResourceCheck checkAt(String endpoint, boolean pathStyle, Function<String, String> environment) {
        return checkAt(endpoint, pathStyle, environment,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    private static AwsResourceCheck checkAt(String endpoint, boolean pathStyle, Function<String, String> environment,
            AwsCredentialsProvider credentials) {
        URI uri = URI.create(endpoint);
        S3Client s3 = S3Client.builder()
            .endpointOverride(uri)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            .build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder()
            .endpointOverride(uri)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
        SnsClient sns = SnsClient.builder()
            .endpointOverride(uri)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .build();
        return new AwsResourceCheck(s3, dynamoDb, sns, PROPERTIES, false, environment);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionNamesTheServiceItsEndpointAndAsksWhetherTheEmulatorRuns(CapturedOutput output)
            throws IOException {
        String endpoint = "http://127.0.0.1:" + closedPort();

        assertThatNoException().isThrownBy(checkAt(endpoint, true, name -> null)::afterSingletonsInstantiated);

        assertThat(output.getAll()).containsOnlyOnce("Could not check at start")
            .contains("asking S3 at " + endpoint + " failed: the connection was refused")
            .contains("is moto or LocalStack running, on that port?")
            .contains("the app starts all the same, and every image it is given fails until it can reach S3 at "
                    + endpoint);
    }

    @Test
    void aRefusedConnectionThroughAProxyFromTheEnvironmentSaysSoAndHowToBypassIt(CapturedOutput output)
            throws IOException {
        // the SDK takes HTTP_PROXY from the real environment, which a test cannot set: a closed port stands for the
        // proxy nobody meant to use, and the check is told the variable
        String endpoint = "http://127.0.0.1:" + closedPort();
        Map<String, String> environment = Map.of("HTTP_PROXY", "http://proxy.example.com:3128");

        checkAt(endpoint, true, environment::get).afterSingletonsInstantiated();

        assertThat(output.getAll()).contains("the SDK connects through the proxy in HTTP_PROXY "
                + "(http://proxy.example.com:3128); for an endpoint on this machine set NO_PROXY=127.0.0.1,localhost");
    }

    @Test
    void aRefusedConnectionToAnEndpointNoProxyExemptsIsNotBlamedOnTheProxy(CapturedOutput output)
            throws IOException {
        // the advice above followed: the SDK connects to 127.0.0.1 itself, so nothing listens on the endpoint's port
        String endpoint = "http://127.0.0.1:" + closedPort();
        Map<String, String> environment = Map.of("HTTP_PROXY", "http://proxy.example.com:3128", "no_proxy",
                "localhost,127.0.0.*");

        checkAt(endpoint, true, environment::get).afterSingletonsInstantiated();

        assertThat(output.getAll()).contains("asking S3 at " + endpoint + " failed: the connection was refused")
            .contains("is moto or LocalStack running, on that port?")
            .doesNotContain("HTTP_PROXY");
    }

    @Test
    void aBucketHostNameThatDoesNotResolveAsksForPathStyle(CapturedOutput output) {
        // .invalid never resolves (RFC 2606); S3 asks for processed.nowhere.invalid without path-style
        checkAt("http://nowhere.invalid:4566", false, name -> null).afterSingletonsInstantiated();

        assertThat(output.getAll()).contains("asking S3 at http://nowhere.invalid:4566 failed: the host name "
                + "'processed.nowhere.invalid' is not known: S3 puts the bucket in the host name unless "
                + "SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED=true");
    }

    @Test
    void anEndpointHostThatDoesNotResolveAsksToCheckIt(CapturedOutput output) {
        checkAt("http://nowhere.invalid:4566", true, name -> null).afterSingletonsInstantiated();

        assertThat(output.getAll()).contains("asking S3 at http://nowhere.invalid:4566 failed: the host name "
                + "'nowhere.invalid' is not known: check the host in the endpoint")
            .doesNotContain("PATH_STYLE");
    }

    @Test
    void httpsToAServerSpeakingPlainHttpSuggestsHttp(CapturedOutput output) throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    }
                    catch (IOException closed) {
                        // the server socket closed: the test is over
                    }
                }
            });
            String endpoint = "https://127.0.0.1:" + server.getLocalPort();

            checkAt(endpoint, true, name -> null).afterSingletonsInstantiated();

            assertThat(output.getAll()).contains("asking S3 at " + endpoint + " failed: no TLS connection could be "
                    + "made")
                .contains("moto and LocalStack on this machine answer plain http://, as http://127.0.0.1:"
                        + server.getLocalPort());
        }
    }

    @Test
    void noCredentialsAnywhereStopTheStartSayingWhereToSetThem() throws IOException {
        // the default chain as the SDK reports it, cut to the one provider no test environment sets
        AwsCredentialsProvider none = AwsCredentialsProviderChain.builder()
            .credentialsProviders(SystemPropertyCredentialsProvider.create())
            .build();
        AwsResourceCheck check = checkAt("http://127.0.0.1:" + closedPort(), true, name -> null, none);

        assertThatThrownBy(check::afterSingletonsInstantiated).isInstanceOf(SettingException.class)
            .hasMessageStartingWith("Profile aws found no AWS credentials")
            .hasMessageContaining("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY")
            .satisfies(e -> assertThat(((SettingException) e).action()).contains("any values do: test and test"));
    }

    @Test
    void anUnknownHostOnAwsItselfIsNotBlamedOnPathStyle() {
        // without an endpoint the SDK asks AWS with the bucket in the host name, as it should: no advice about it
        assertThat(AwsResourceCheck.unknownHost("processed.s3.eu-west-1.amazonaws.com", "processed", null))
            .isEqualTo("the host name 'processed.s3.eu-west-1.amazonaws.com' is not known: no network, or no DNS?");
        assertThat(AwsResourceCheck.unknownHost("processed.localhost", "processed", "http://localhost:5000"))
            .contains("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED=true");
    }
}
