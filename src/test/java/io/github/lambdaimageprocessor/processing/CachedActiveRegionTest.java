package io.github.lambdaimageprocessor.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CachedActiveRegionTest {

    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    /** A switch that answers from a script and counts the reads. */
    private static final class ScriptedSwitch implements ActiveRegion {

        private final Queue<Object> answers = new ArrayDeque<>();

        private int reads;

        ScriptedSwitch answering(Object... values) {
            answers.addAll(List.of(values));
            return this;
        }

        @Override
        public String current() {
            reads++;
            Object answer = answers.remove();
            if (answer instanceof RuntimeException failure) {
                throw failure;
            }
            return (String) answer;
        }
    }

    @Test
    void readsTheSwitchOncePerRefreshPeriod() {
        ScriptedSwitch source = new ScriptedSwitch().answering("us-east-1", "eu-west-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, REFRESH, clock);

        assertThat(cached.current()).isEqualTo("us-east-1");
        clock.advance(REFRESH.minusMillis(1));
        assertThat(cached.current()).isEqualTo("us-east-1");
        assertThat(source.reads).isEqualTo(1);

        // the bound reached: the switch was flipped meanwhile, and the new value is seen now
        clock.advance(Duration.ofMillis(1));
        assertThat(cached.current()).isEqualTo("eu-west-1");
        assertThat(source.reads).isEqualTo(2);
    }

    @Test
    void neverFallsBackToAnExpiredValueWhenTheReadFails() {
        ScriptedSwitch source = new ScriptedSwitch().answering("us-east-1",
                new ActiveRegionUnavailableException("unreachable"), "eu-west-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, REFRESH, clock);
        cached.current();

        clock.advance(REFRESH);

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current)
            .withMessage("unreachable");
        // an event after the failure's hold reads again, and gets the new value
        clock.advance(CachedActiveRegion.FAILURE_HOLD);
        assertThat(cached.current()).isEqualTo("eu-west-1");
        assertThat(source.reads).isEqualTo(3);
    }

    @Test
    void aFailedFirstReadIsRetriedOnTheNextCallNotCached() {
        ScriptedSwitch source = new ScriptedSwitch().answering(new ActiveRegionUnavailableException("missing"),
                "us-east-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, REFRESH, clock);

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current);
        clock.advance(CachedActiveRegion.FAILURE_HOLD);
        assertThat(cached.current()).isEqualTo("us-east-1");
    }

    @Test
    void aFailedReadStandsForTwoSecondsWithoutReadingAgain() {
        ScriptedSwitch source = new ScriptedSwitch().answering(new ActiveRegionUnavailableException("throttled"),
                "us-east-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, REFRESH, clock);
        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current);

        clock.advance(CachedActiveRegion.FAILURE_HOLD.minusMillis(1));

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current)
            .withMessage("throttled (the last read, 1999 ms ago; the switch is read again 2000 ms after a failed read)");
        assertThat(source.reads).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(cached.current()).isEqualTo("us-east-1");
        assertThat(source.reads).isEqualTo(2);
    }

    @Test
    void theHoldStartsWhenAHangingReadGivesUp() {
        ActiveRegion hanging = () -> {
            clock.advance(Duration.ofSeconds(10));
            throw new ActiveRegionUnavailableException("timed out");
        };
        CachedActiveRegion cached = new CachedActiveRegion(hanging, REFRESH, clock);
        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current);

        clock.advance(Duration.ofSeconds(1));

        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(cached::current)
            .withMessageStartingWith("timed out (the last read, 1000 ms ago");
    }

    @Test
    void aRefreshShorterThanTheHoldBoundsItAndZeroReadsAfterEveryFailure() {
        ScriptedSwitch source = new ScriptedSwitch().answering(new ActiveRegionUnavailableException("down"),
                "us-east-1", new ActiveRegionUnavailableException("down"), "eu-west-1");
        CachedActiveRegion shortRefresh = new CachedActiveRegion(source, Duration.ofMillis(500), clock);
        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(shortRefresh::current);
        clock.advance(Duration.ofMillis(500));
        assertThat(shortRefresh.current()).isEqualTo("us-east-1");

        CachedActiveRegion everyCall = new CachedActiveRegion(source, Duration.ZERO, clock);
        assertThatExceptionOfType(ActiveRegionUnavailableException.class).isThrownBy(everyCall::current);
        assertThat(everyCall.current()).isEqualTo("eu-west-1");
    }

    @Test
    void aClockThatWentBackwardsExpiresTheValue() {
        ScriptedSwitch source = new ScriptedSwitch().answering("us-east-1", "eu-west-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, REFRESH, clock);
        cached.current();

        clock.advance(Duration.ofSeconds(-5));

        assertThat(cached.current()).isEqualTo("eu-west-1");
    }

    @Test
    void aZeroRefreshReadsForEveryCall() {
        ScriptedSwitch source = new ScriptedSwitch().answering("us-east-1", "us-east-1", "eu-west-1");
        CachedActiveRegion cached = new CachedActiveRegion(source, Duration.ZERO, clock);

        assertThat(List.of(cached.current(), cached.current(), cached.current())).containsExactly("us-east-1",
                "us-east-1", "eu-west-1");
    }

    @Test
    void refusesANegativeRefresh() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new CachedActiveRegion(new ScriptedSwitch(), Duration.ofSeconds(-1), clock))
            .withMessageContaining("must not be negative");
    }
}
