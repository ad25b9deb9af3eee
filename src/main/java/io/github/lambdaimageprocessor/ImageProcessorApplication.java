package io.github.lambdaimageprocessor;

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

    public static void main(String[] args) {
        if (CommandLine.isCommand(args)) {
            System.exit(CommandLine.run(ImageProcessorApplication.class, args, System.out));
        }
        SpringApplication.run(ImageProcessorApplication.class, args);
    }
}
