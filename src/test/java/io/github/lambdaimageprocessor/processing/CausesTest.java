package io.github.lambdaimageprocessor.processing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class CausesTest {

    @Test
    void theChainIsTheExceptionThenEachCauseOutermostFirst() {
        IOException root = new IOException("root");
        UncheckedIOException middle = new UncheckedIOException("middle", root);
        IllegalStateException top = new IllegalStateException("top", middle);

        assertThat(Causes.of(top)).containsExactly(top, middle, root);
        assertThat(Causes.of(root)).containsExactly(root);
    }

    @Test
    void nullHasNoChainAndNoCauseOfAnyType() {
        assertThat(Causes.of(null)).isEmpty();
        assertThat(Causes.first(null, Throwable.class)).isEmpty();
    }

    @Test
    void theFirstOfATypeIsTheOutermostOneAndMayBeTheExceptionItself() {
        FileNotFoundException inner = new FileNotFoundException("inner");
        IOException outer = new IOException("outer", inner);
        IllegalStateException top = new IllegalStateException("top", outer);

        assertThat(Causes.first(top, IOException.class)).containsSame(outer);
        assertThat(Causes.first(top, FileNotFoundException.class)).containsSame(inner);
        assertThat(Causes.first(top, IllegalStateException.class)).containsSame(top);
    }

    @Test
    void aTypeNoLinkHasIsNotFound() {
        assertThat(Causes.first(new IllegalStateException("top", new IOException("io")), ArithmeticException.class))
            .isEmpty();
    }

    @Test
    void aChainThatLoopsEndsAtTheFirstCauseSeenBefore() {
        // initCause refuses only the exception itself, so two can be each other's cause
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b");
        a.initCause(b);
        b.initCause(a);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Causes.of(a)).containsExactly(a, b);
            assertThat(Causes.first(a, IOException.class)).isEmpty();
        });
    }

    @Test
    void anExceptionThatIsItsOwnCauseIsOneLink() {
        RuntimeException selfCaused = new RuntimeException("self") {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Causes.of(selfCaused)).containsExactly(selfCaused);
            assertThat(Causes.first(selfCaused, IOException.class)).isEmpty();
        });
    }

    @Test
    void linksAreToldApartByIdentityNotByEquals() {
        IOException inner = new EqualToEveryOther("inner", null);
        IOException outer = new EqualToEveryOther("outer", inner);

        assertThat(Causes.of(outer)).hasSize(2);
        assertThat(Causes.of(outer).get(1)).isSameAs(inner);
    }

    /** An exception whose equals says any two are the same: the walk must not take the second for the first. */
    private static final class EqualToEveryOther extends IOException {

        EqualToEveryOther(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EqualToEveryOther;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
