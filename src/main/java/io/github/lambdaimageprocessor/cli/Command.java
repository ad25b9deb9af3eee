package io.github.lambdaimageprocessor.cli;

import java.io.PrintStream;
import java.util.Set;

/**
 * One command of the jar's command line, a Spring bean. {@link CommandLine} runs it in an application without a web
 * server and exits with the status it returns.
 */
public interface Command {

    /** Exit status: everything done (items skipped or rejected as bad input included). */
    int OK = 0;

    /** Exit status: some item failed (an infrastructure error); running the command again retries it. */
    int FAILED = 1;

    /** Exit status: the command line was wrong; nothing was done. */
    int USAGE = 2;

    /** The first argument that selects this command, e.g. {@code backfill}. */
    String name();

    /** One line per option, shown with a usage error. */
    String usage();

    /** Options taking a value ({@code --prefix=P}). */
    Set<String> valueOptions();

    /** Options without a value ({@code --force}). */
    Set<String> flagOptions();

    /**
     * Runs the command.
     *
     * @param out where progress and the summary go
     * @return the exit status: {@link #OK}, {@link #FAILED} or {@link #USAGE}
     */
    int run(CommandArguments arguments, PrintStream out);
}
