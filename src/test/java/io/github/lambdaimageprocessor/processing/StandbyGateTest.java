package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StandbyGateTest {

    private static ActiveRegion switchNaming(String region) {
        return new ActiveRegion() {
            @Override
            public String current() {
                return region;
            }

            @Override
            public String toString() {
                return "the switch";
            }
        };
    }

    @Test
    void theActiveRegionProcesses() {
        assertThat(StandbyGate.on("us-east-1", "eu-west-1", switchNaming("us-east-1")).standbyReason()).isEmpty();
    }

    @Test
    void theStandbyRegionSkipsSayingWhy() {
        assertThat(StandbyGate.on("eu-west-1", "us-east-1", switchNaming("us-east-1")).standbyReason())
            .contains("this region (eu-west-1) is the standby: the switch names us-east-1 as the active region");
    }

    @Test
    void aSwitchNamingNeitherRegionOfThePairFailsInsteadOfStandingByInBoth() {
        StandbyGate gate = StandbyGate.on("eu-west-1", "us-east-1", switchNaming("us-east-2"));

        assertThatExceptionOfType(ActiveRegionUnusableException.class).isThrownBy(gate::standbyReason)
            .withMessageContaining("names us-east-2, which is neither this region (eu-west-1) nor its peer (us-east-1)");
    }

    @Test
    void withoutAKnownPeerAnyOtherRegionMeansStandby() {
        assertThat(StandbyGate.on("eu-west-1", null, switchNaming("us-east-2")).standbyReason()).isPresent();
    }

    @Test
    void anUnreadableSwitchPropagates() {
        StandbyGate gate = StandbyGate.on("eu-west-1", "us-east-1", () -> {
            throw new ActiveRegionUnavailableException("SSM parameter /x does not exist");
        });

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(gate::standbyReason)
            .withMessage("SSM parameter /x does not exist");
    }

    @Test
    void theOpenGateNeverReadsAnything() {
        assertThat(StandbyGate.open().standbyReason()).isEmpty();
    }

    @Test
    void refusesAPeerThatIsThisRegion() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> StandbyGate.on("us-east-1", "us-east-1", switchNaming("us-east-1")));
    }
}
