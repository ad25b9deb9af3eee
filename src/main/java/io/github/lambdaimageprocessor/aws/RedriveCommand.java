package io.github.lambdaimageprocessor.aws;

import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * {@code java -jar <exec jar> redrive --queue-url=<failure queue URL> [--visibility-timeout=<seconds>]}: replays the
 * failure queue ({@link Redrive}) and exits with 0 when everything read succeeded, 1 when something failed again or
 * could not be read, 2 when the command itself is wrong.
 */
class RedriveCommand implements ApplicationRunner, ExitCodeGenerator {

    static final String NAME = "redrive";

    static final String USAGE = "usage: java -jar lambda-image-processor-<version>-exec.jar redrive "
            + "--queue-url=<URL of the failure queue> [--visibility-timeout=<seconds, default 300>]";

    private final RedriveFactory redrive;

    private int exitCode = 2;

    /** Builds the redrive for a queue URL and visibility timeout (a client made from Spring Cloud AWS's settings). */
    interface RedriveFactory {
        Redrive create(String queueUrl, int visibilitySeconds);
    }

    RedriveCommand(RedriveFactory redrive) {
        this.redrive = redrive;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> queueUrl = args.getOptionValues("queue-url");
        if (queueUrl == null || queueUrl.size() != 1 || queueUrl.getFirst().isBlank()) {
            System.err.println("redrive: name the failure queue once, e.g. --queue-url=$(aws cloudformation "
                    + "describe-stacks ... FailureQueueUrl)\n" + USAGE);
            return;
        }
        int visibility = 300;
        List<String> timeout = args.getOptionValues("visibility-timeout");
        if (timeout != null) {
            try {
                visibility = Integer.parseInt(timeout.getFirst());
            }
            catch (NumberFormatException e) {
                visibility = -1;
            }
            // SQS's range; 0 would hand a message being replayed to the next receive of this very run
            if (visibility < 1 || visibility > 43200) {
                System.err.println("redrive: --visibility-timeout must be 1 to 43200 seconds\n" + USAGE);
                return;
            }
        }
        Redrive.Summary summary = redrive.create(queueUrl.getFirst(), visibility).run();
        exitCode = summary.succeeded() ? 0 : 1;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
