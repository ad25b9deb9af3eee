package io.github.lambdaimageprocessor.cli;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CommandArgumentsTest {

    private static CommandArguments parse(String... args) {
        return CommandArguments.parse(args, Set.of("prefix"), Set.of("force", "notify"));
    }

    @Test
    void readsValuesAndFlagsAndLeavesPropertiesToSpringBoot() {
        CommandArguments arguments = parse("backfill", "--prefix=a b/=c", "--force",
                "--image-processor.thumbnail.width=128");

        assertThat(arguments.command()).isEqualTo("backfill");
        assertThat(arguments.value("prefix")).contains("a b/=c");
        assertThat(arguments.flag("force")).isTrue();
        assertThat(arguments.flag("notify")).isFalse();
        assertThat(parse("backfill", "--prefix=").value("prefix")).contains("");
    }

    @Test
    void takesAValueAlsoAsTheNextArgument() {
        CommandArguments arguments = parse("backfill", "--prefix", "albums/2026/", "--force");

        assertThat(arguments.value("prefix")).contains("albums/2026/");
        assertThat(arguments.flag("force")).isTrue();
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("backfill", "--prefix", "--force"))
            .withMessage("--prefix needs a value: --prefix=... or --prefix ...");
    }

    @Test
    void refusesWhatItDoesNotKnowOrCannotMeanAnything() {
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("backfill", "--froce"))
            .withMessage("unknown option '--froce'");
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("backfill", "--force=yes"))
            .withMessage("--force takes no value");
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("backfill", "--prefix"))
            .withMessageContaining("needs a value");
        assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("backfill", "photos/"))
            .withMessage("unexpected argument 'photos/'");
        assertThatExceptionOfType(UsageException.class)
            .isThrownBy(() -> parse("backfill", "--prefix=a", "--prefix=b"))
            .withMessage("--prefix given twice");
    }
}
