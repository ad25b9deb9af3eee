package io.github.lambdaimageprocessor.aws;

import java.io.PrintStream;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.github.lambdaimageprocessor.cli.Command;
import io.github.lambdaimageprocessor.cli.CommandArguments;
import io.github.lambdaimageprocessor.cli.CommandHelp;

/**
 * {@code java -jar <exec jar> redrive --queue-url=<failure queue URL> [--visibility-timeout=<seconds>]} in profile
 * aws: replays the failure queue ({@link Redrive}) and exits with 0 when everything read succeeded, 1 when something
 * failed again or could not be read, 2 when the command itself is wrong.
 */
public final class RedriveCommand implements Command {

    static final String NAME = "redrive";

    /** Its usage, which {@code --help} prints without starting the application. */
    public static final CommandHelp HELP = new CommandHelp(NAME,
            "--queue-url=<URL of the failure queue> [--visibility-timeout=<seconds, default 300>]\n"
                    + "  (profile aws: SPRING_PROFILES_ACTIVE=aws, AWS_REGION and the function's settings)");

    /** SQS's range; 0 would hand a message being replayed to the next receive of this very run. */
    private static final int MAX_VISIBILITY_SECONDS = 43200;

    private final RedriveFactory redrive;

    private final Supplier<Optional<String>> standbyReason;

    /** Builds the redrive for a queue URL and visibility timeout (a client made from Spring Cloud AWS's settings). */
    interface RedriveFactory {
        Redrive create(String queueUrl, int visibilitySeconds);
    }

    RedriveCommand(RedriveFactory redrive) {
        this(redrive, Optional::empty);
    }

    /** @param standbyReason why this region is the standby of a pair, if it is ({@code ImageProcessor}'s gate) */
    RedriveCommand(RedriveFactory redrive, Supplier<Optional<String>> standbyReason) {
        this.redrive = redrive;
        this.standbyReason = standbyReason;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String usage() {
        return HELP.usage();
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("queue-url", "visibility-timeout");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of();
    }

    @Override
    public int run(CommandArguments arguments, PrintStream out) {
        Optional<String> queueUrl = arguments.value("queue-url").filter(url -> !url.isBlank());
        if (queueUrl.isEmpty()) {
            out.println(NAME + ": name the failure queue, e.g. --queue-url=$(aws cloudformation describe-stacks ... "
                    + "FailureQueueUrl)");
            out.println("Usage: java -jar <jar> " + NAME + " " + usage());
            return USAGE;
        }
        int visibility;
        try {
            visibility = Integer.parseInt(arguments.value("visibility-timeout").orElse("300"));
        }
        catch (NumberFormatException e) {
            visibility = -1;
        }
        if (visibility < 1 || visibility > MAX_VISIBILITY_SECONDS) {
            out.println(NAME + ": --visibility-timeout must be 1 to " + MAX_VISIBILITY_SECONDS + " seconds");
            out.println("Usage: java -jar <jar> " + NAME + " " + usage());
            return USAGE;
        }
        Optional<String> standby = standbyReason.get();
        if (standby.isPresent()) {
            // its function would skip every event, and the run delete them: an upload that failed while this region
            // was active would then be made by nobody
            out.println(NAME + ": not started: " + standby.get() + ". Replay this queue once this region is active "
                    + "again, or backfill the keys its messages name in the active region.");
            return FAILED;
        }
        return redrive.create(queueUrl.get(), visibility).run().succeeded() ? OK : FAILED;
    }
}
