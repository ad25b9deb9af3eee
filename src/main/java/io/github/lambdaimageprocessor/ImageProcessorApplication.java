package io.github.lambdaimageprocessor;

import java.util.Map;

import io.github.lambdaimageprocessor.cli.CommandLine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Runs the image pipeline: on Lambda through Spring Cloud Function's {@code FunctionInvoker}, as a web app with
 * local stand-ins for S3, DynamoDB and SNS, or as a command that ends by itself ({@code java -jar <jar> backfill ...},
 * or {@code redrive ...} in profile aws, which replays the failure queue).
 */
@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class ImageProcessorApplication {

    /** Commands: the first argument names one; each runs against AWS (profile aws) without a web server. */
    private static final String REDRIVE = "redrive";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(ImageProcessorApplication.class);
        if (args.length > 0 && REDRIVE.equals(args[0])) {
            application.setWebApplicationType(WebApplicationType.NONE);
            application.setAdditionalProfiles("aws");
            // first in precedence, over application-aws.properties: the command's bean switch, no EMF metrics on an
            // operator's terminal (they are the function's), and only warnings in the log around its own output
            // (an environment made here, so the logging system sees it too)
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("command", Map.of(
                    "image-processor.command", REDRIVE, "image-processor.metrics.enabled", "false",
                    "logging.level.root", "WARN")));
            application.setEnvironment(environment);
            System.exit(SpringApplication.exit(application.run(args)));
        }
        if (CommandLine.isCommand(args)) {
            System.exit(CommandLine.run(ImageProcessorApplication.class, args, System.out));
        }
        application.run(args);
    }
}
