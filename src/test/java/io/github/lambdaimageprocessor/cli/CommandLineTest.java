package io.github.lambdaimageprocessor.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    /** An application whose one command fails as an unreadable failover switch does. */
    @SpringBootConfiguration
    static class FailingCommandApplication {

        @Bean
        Command explode() {
            return new Command() {

                @Override
                public String name() {
                    return "explode";
                }

                @Override
                public String usage() {
                    return "";
                }

                @Override
                public Set<String> valueOptions() {
                    return Set.of();
                }

                @Override
                public Set<String> flagOptions() {
                    return Set.of();
                }

                @Override
                public int run(CommandArguments arguments, PrintStream out) {
                    throw new IllegalStateException("SSM parameter /lip/missing does not exist");
                }
            };
        }
    }

    /** An application that cannot start: one of its beans refuses its setting, as the configuration's checks do. */
    @SpringBootConfiguration
    static class MisconfiguredApplication {

        @Bean
        Object thumbnailSettings() {
            throw new IllegalArgumentException("image-processor.thumbnail.width must be 1 to 8192, got 0");
        }
    }

    @Test
    void helpSaysWhatIsWrongWithAnOptionWithoutValueBeforeTheCommandButTakesHelpAndBootsFlagsThere() {
        java.util.List<CommandHelp> commands = java.util.List.of(new CommandHelp("backfill", "[--prefix=P]"));
        ByteArrayOutputStream misplaced = new ByteArrayOutputStream();
        ByteArrayOutputStream before = new ByteArrayOutputStream();

        int misplacedStatus = CommandLine.help(new String[] { "--prefix", "photos/", "backfill", "--help" }, commands,
                new PrintStream(misplaced, true, StandardCharsets.UTF_8));
        int beforeStatus = CommandLine.help(new String[] { "--debug", "--help", "backfill" }, commands,
                new PrintStream(before, true, StandardCharsets.UTF_8));

        // not "Unknown command 'photos/'": the option is what is wrong
        assertThat(misplacedStatus).isEqualTo(Command.USAGE);
        assertThat(misplaced.toString(StandardCharsets.UTF_8)).startsWith("'--prefix' stands before the command "
                + "without '='");
        assertThat(beforeStatus).isEqualTo(Command.OK);
        assertThat(before.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -jar <jar> backfill [--prefix=P]");
    }

    @Test
    void anApplicationThatCannotStartSaysTheSettingsReasonNotTheBeanThatWrappedIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(MisconfiguredApplication.class, new String[] { "backfill" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("backfill: the application could not start with "
                + "this configuration (see the log above): image-processor.thumbnail.width must be 1 to 8192, got 0"
                + System.lineSeparator());
    }

    /** An application in profile aws with no region anywhere: the first AWS client fails as the SDK does. */
    @SpringBootConfiguration
    static class RegionlessApplication {

        @Bean
        Object s3ClientBuilder() {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load region from any of "
                    + "the providers in the chain software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain"
                    + "@5e2a3040: [SystemSettingsRegionProvider: Unable to load region from system settings.]");
        }
    }

    @Test
    void aMissingRegionIsSaidAsTheStartUpReportSaysItNotAsTheSdksProviderChain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(RegionlessApplication.class, new String[] { "redrive" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        // the report above it is one JSON line in profile aws: this line is the one an operator reads
        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("redrive: the application could not start with "
                + "this configuration (see the log above): No AWS region is configured.")
            .contains("Set AWS_REGION")
            .doesNotContain("DefaultAwsRegionProviderChain");
    }

    /** An application whose adapter refuses a setting, as profile aws does without SNS_TOPIC_ARN. */
    @SpringBootConfiguration
    static class TopiclessApplication {

        @Bean
        Object notifier() {
            throw new io.github.lambdaimageprocessor.config.SettingException("Profile aws needs the full ARN of the SNS "
                    + "topic in SNS_TOPIC_ARN (image-processor.topic-arn), got ''", "Set SNS_TOPIC_ARN to the topic's ARN.");
        }
    }

    @Test
    void aRefusedSettingIsSaidWithWhatToDoAsTwoSentences() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(TopiclessApplication.class, new String[] { "backfill" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("backfill: the application could not start with "
                + "this configuration (see the log above): Profile aws needs the full ARN of the SNS topic in "
                + "SNS_TOPIC_ARN (image-processor.topic-arn), got ''. Set SNS_TOPIC_ARN to the topic's ARN."
                + System.lineSeparator());
    }

    @Test
    void aSettingThatCannotBeBoundIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(io.github.lambdaimageprocessor.ImageProcessorApplication.class, new String[] {
            "backfill", "--image-processor.local.root=" + root, "--image-processor.thumbnail.width=wide" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("backfill: the application could not start with "
                + "this configuration (see the log above): ")
            .contains("image-processor.thumbnail")
            .doesNotContain("Error creating bean");
    }

    @Test
    void aSettingOutOfItsRangeIsNamedWithTheReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(io.github.lambdaimageprocessor.ImageProcessorApplication.class, new String[] {
            "backfill", "--image-processor.local.root=" + root, "--image-processor.thumbnail.width=0" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        // not only "Failed to bind properties under 'image-processor.thumbnail' to ...$ThumbnailProperties"
        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("image-processor.thumbnail.width must be 1 to 8192, got 0");
    }

    @Test
    void aCommandThatThrowsEndsWithItsReasonAndAFailedStatusNotAStackTrace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(FailingCommandApplication.class, new String[] { "explode" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8))
            .isEqualTo("explode: failed: SSM parameter /lip/missing does not exist" + System.lineSeparator());
    }

    @Test
    void anOptionWithoutAValueBeforeTheCommandIsAUsageErrorNotATakenCommandName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CommandLine.run(FailingCommandApplication.class, new String[] { "--prefix", "photos/", "explode" },
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("'--prefix' stands before the command without '='");
    }

    @Test
    void optionsAloneStartTheServerAndAnyOtherArgumentIsACommandWhereverItStands() {
        assertThat(CommandLine.isCommand(new String[] { "--server.port=8081" })).isFalse();
        assertThat(CommandLine.isCommand(new String[0])).isFalse();
        assertThat(CommandLine.isCommand(new String[] { "--server.port=8081", "backfill" })).isTrue();
    }
}
