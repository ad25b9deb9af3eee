package io.github.lambdaimageprocessor;

import java.util.List;

import io.github.lambdaimageprocessor.aws.RedriveCommand;
import io.github.lambdaimageprocessor.cli.BackfillCommand;
import io.github.lambdaimageprocessor.cli.CommandHelp;
import io.github.lambdaimageprocessor.cli.CommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Runs the image pipeline: on Lambda through Spring Cloud Function's {@code FunctionInvoker}, as a web app with
 * local stand-ins for S3, DynamoDB and SNS, or as a command that ends by itself ({@code java -jar <jar> backfill ...},
 * or {@code redrive ...} in profile aws, which replays the failure queue).
 */
@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class ImageProcessorApplication {

    /** Every command of the jar, for {@code --help}, which answers without starting the application. */
    static final List<CommandHelp> COMMANDS = List.of(BackfillCommand.HELP, RedriveCommand.HELP);

    public static void main(String[] args) {
        if (CommandLine.asksForHelp(args)) {
            System.exit(CommandLine.help(args, COMMANDS, System.out));
        }
        if (CommandLine.isCommand(args)) {
            System.exit(CommandLine.run(ImageProcessorApplication.class, args, System.out));
        }
        SpringApplication.run(ImageProcessorApplication.class, args);
    }
}
