package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnusableException;
import io.github.lambdaimageprocessor.processing.CachedActiveRegion;
import io.github.lambdaimageprocessor.processing.MutableClock;
import io.github.lambdaimageprocessor.processing.ServiceFailureException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The switch as an SSM parameter, over the real SSM wire protocol (moto). */
class SsmActiveRegionIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static final String PARAMETER = "/image-processor/active-region";

    private final SsmClient ssm = moto.ssm();

    @AfterEach
    void closeClient() {
        ssm.close();
    }

    private void setSwitch(String value) {
        ssm.putParameter(request -> request.name(PARAMETER).value(value).type(ParameterType.STRING).overwrite(true));
    }

    @Test
    void readsTheActiveRegionFromTheParameter() {
        setSwitch("eu-west-1");

        assertThat(new SsmActiveRegion(ssm, PARAMETER).current()).isEqualTo("eu-west-1");
    }

    @Test
    void aMissingParameterIsAFailureThatSaysWhatToCreate() {
        assertThatExceptionOfType(ActiveRegionUnavailableException.class)
            .isThrownBy(() -> new SsmActiveRegion(ssm, PARAMETER).current())
            .withMessageContaining("SSM parameter " + PARAMETER + " does not exist in us-east-1")
            .withMessageContaining("put-parameter")
            .havingCause()
            .isInstanceOfSatisfying(AwsCallFailedException.class, failure -> {
                // what the web routes answer with a 502
                assertThat(failure.summary()).startsWith("SSM GetParameter failed, not found, error code "
                        + "ParameterNotFound");
                assertThat(failure.getMessage()).startsWith("Failed to read SSM parameter " + PARAMETER
                        + " in us-east-1 (ParameterNotFound): ");
            });
    }

    @Test
    void aValueThatIsNoRegionNameIsAFailureNotAStandby() {
        setSwitch("primary");

        // unusable, not unreadable: the web routes answer it as a configuration fault
        assertThatExceptionOfType(ActiveRegionUnusableException.class)
            .isThrownBy(() -> new SsmActiveRegion(ssm, PARAMETER).current())
            .withMessage("SSM parameter " + PARAMETER + " holds 'primary', which is not a region name such as "
                    + "us-east-1")
            .withNoCause();
    }

    @Test
    void aSecureStringIsAFailureThatNamesItsTypeRatherThanQuoteItsCiphertext() {
        ssm.putParameter(request -> request.name(PARAMETER).value("us-east-1").type(ParameterType.SECURE_STRING)
            .overwrite(true));

        assertThatExceptionOfType(ActiveRegionUnusableException.class)
            .isThrownBy(() -> new SsmActiveRegion(ssm, PARAMETER).current())
            .withMessageStartingWith("SSM parameter " + PARAMETER + " is a SecureString, which reads as ciphertext: "
                    + "make it of type String")
            .withMessageNotContaining("holds");
    }

    @Test
    void anUnreachableSsmIsAFailureNamingTheParameter() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (SsmClient unreachable = SsmClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build()) {

            assertThatExceptionOfType(ActiveRegionUnavailableException.class)
                .isThrownBy(() -> new SsmActiveRegion(unreachable, PARAMETER).current())
                .withMessageStartingWith("Failed to read SSM parameter " + PARAMETER + " in us-east-1")
                .havingCause()
                .isInstanceOfSatisfying(AwsCallFailedException.class,
                        failure -> assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE));
        }
    }

    @Test
    void aFailoverIsSeenOnceTheRefreshPeriodHasPassedAndNotBefore() {
        setSwitch("us-east-1");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        CachedActiveRegion cached = new CachedActiveRegion(new SsmActiveRegion(ssm, PARAMETER), Duration.ofSeconds(30),
                clock);
        assertThat(cached.current()).isEqualTo("us-east-1");

        // the operator fails over
        setSwitch("eu-west-1");
        clock.advance(Duration.ofSeconds(29));
        assertThat(cached.current()).as("trusted for 30 s").isEqualTo("us-east-1");

        clock.advance(Duration.ofSeconds(1));
        assertThat(cached.current()).isEqualTo("eu-west-1");
    }

    @Test
    void aDeletedParameterFailsOnceTheCachedValueHasExpired() {
        setSwitch("us-east-1");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        CachedActiveRegion cached = new CachedActiveRegion(new SsmActiveRegion(ssm, PARAMETER), Duration.ofSeconds(30),
                clock);
        cached.current();

        ssm.deleteParameter(request -> request.name(PARAMETER));
        clock.advance(Duration.ofSeconds(30));

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current)
            .withMessageContaining("does not exist");
    }
}
