package io.github.lambdaimageprocessor;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ForkedJvmTest {

    @Test
    void returnsTheExitValueAndEverythingTheChildPrinted() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(Child.class, List.of("-Xmx64m"), List.of("exit", "3"),
                Duration.ofMinutes(2));

        assertThat(result.exitValue()).isEqualTo(3);
        assertThat(result.lines()).containsExactly("out: exit 3", "err: exit 3");
    }

    @Test
    void killsAChildThatOutlivesItsTimeoutAndFailsWithItsOutput() {
        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> ForkedJvm.run(Child.class, List.of(), List.of("hang"), Duration.ofSeconds(3)))
            .withMessageContaining("Child did not finish within PT3S and was killed")
            .withMessageContaining("out: hang");
    }

    @Test
    void aChildThatFillsAPipesWorthOfOutputStillFinishes() throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(Child.class, List.of(), List.of("chatty"), Duration.ofMinutes(2));

        assertThat(result.exitValue()).isZero();
        assertThat(result.lines()).hasSize(10_001).last().isEqualTo("err: chatty");
    }

    /** The forked program: {@code exit N}, {@code hang} or {@code chatty} (far more than a pipe buffer holds). */
    static final class Child {

        public static void main(String[] args) throws Exception {
            if (args[0].equals("chatty")) {
                for (int i = 0; i < 10_000; i++) {
                    System.out.println("line " + i + " of a child that writes more than a pipe buffer holds");
                }
            }
            else {
                System.out.println("out: " + String.join(" ", args));
            }
            System.out.flush();
            if (args[0].equals("hang")) {
                Thread.sleep(Long.MAX_VALUE);
            }
            System.err.println("err: " + String.join(" ", args));
            System.exit(args[0].equals("exit") ? Integer.parseInt(args[1]) : 0);
        }
    }
}
