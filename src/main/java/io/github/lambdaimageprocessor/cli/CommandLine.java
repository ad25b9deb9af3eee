package io.github.lambdaimageprocessor.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.lambdaimageprocessor.processing.Causes;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Runs {@code java -jar <jar> <command> [options]}: the same application and configuration (profile, properties,
 * environment) as the server, but no web server, and it ends when the command does. The exit status is the command's.
 */
public final class CommandLine {

    /** The property naming the command being run, for beans only a command needs ({@code redrive}'s SQS client). */
    public static final String COMMAND_PROPERTY = "image-processor.command";


    /**
     * The failure analyzers this project registers in {@code META-INF/spring.factories}, in their order. Spring Boot's
     * own are left out: theirs are reports of several lines (and some need the failed context to be built).
     */
    private static final List<FailureAnalyzer> OWN_ANALYZERS = SpringFactoriesLoader
        .forDefaultResourceLocation(CommandLine.class.getClassLoader())
        .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
                SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
                }))
        .stream()
        .filter(analyzer -> analyzer.getClass().getName().startsWith("io.github.lambdaimageprocessor."))
        .toList();

    private CommandLine() {
    }

    /**
     * Whether the arguments name a command (an argument that is not an option, wherever it stands: a property given
     * before it, {@code --image-processor.concurrency=2 backfill}, is still the command's) rather than start the
     * server.
     */
    public static boolean isCommand(String[] args) {
        return commandIndex(args) >= 0;
    }

    /** Whether the arguments ask for help: {@code --help} or {@code -h}, with a command or without one. */
    public static boolean asksForHelp(String[] args) {
        return Arrays.stream(args).anyMatch(CommandLine::isHelp);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /**
     * Prints the help the arguments ask for without starting the application, so that it works whatever the
     * configuration: the command's usage, or, without a command, how to start the web app and every command's.
     *
     * @return {@link Command#OK}, or {@link Command#USAGE} for a command that is not among {@code commands}
     */
    public static int help(String[] args, List<CommandHelp> commands, PrintStream out) {
        if (optionWithoutValueBeforeCommand(args, out)) {
            return Command.USAGE;
        }
        int index = commandIndex(args);
        if (index < 0) {
            out.println("Usage: java -jar <jar> [--<property>=<value> ...]");
            out.println("         starts the web app with local stand-ins for S3, DynamoDB and SNS on "
                    + "http://localhost:8080 (profile local; settings: docs/configuration.md)");
            out.println("       java -jar <jar> <command> [options] [--<property>=<value> ...]");
            out.println("         runs a command with the same settings and exits: 0 done, 1 something failed "
                    + "(run it again), 2 the command line or the settings are wrong");
            out.println("Commands:");
            commands.forEach(command -> out.println("  " + command.name() + " " + command.usage()
                .replace("\n", System.lineSeparator() + "  ")));
            return Command.OK;
        }
        for (CommandHelp command : commands) {
            if (command.name().equals(args[index])) {
                out.println("Usage: java -jar <jar> " + command.name() + " " + command.usage());
                return Command.OK;
            }
        }
        out.println("Unknown command '" + args[index] + "'. Commands: "
                + String.join(", ", commands.stream().map(CommandHelp::name).toList()));
        return Command.USAGE;
    }

    /**
     * Says so when an option without {@code =} stands before the command: "--prefix photos/ backfill" would take
     * "photos/" for the command, so only name=value is unambiguous there.
     */
    private static boolean optionWithoutValueBeforeCommand(String[] args, PrintStream out) {
        int index = commandIndex(args);
        for (int i = 0; i < index; i++) {
            if (args[i].startsWith("--") && !args[i].contains("=") && !isHelp(args[i]) && !isBootFlag(args[i])) {
                out.println("'" + args[i] + "' stands before the command without '=': write "
                        + args[i] + "=<value>, or give the command first (java -jar <jar> <command> [options])");
                return true;
            }
        }
        return false;
    }

    /** Spring Boot's own options without a value, which take none before a command either. */
    private static boolean isBootFlag(String arg) {
        return arg.equals("--debug") || arg.equals("--trace");
    }

    private static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    /** The arguments with the command first, as {@link CommandArguments#parse} takes them. */
    private static String[] commandFirst(String[] args) {
        int index = commandIndex(args);
        String[] ordered = new String[args.length];
        ordered[0] = args[index];
        for (int i = 0, j = 1; i < args.length; i++) {
            if (i != index) {
                ordered[j++] = args[i];
            }
        }
        return ordered;
    }

    /**
     * Why the application did not start: what one of this project's failure analyzers makes of it, description and
     * action ("No AWS region is configured. ... Set AWS_REGION ..."), as Spring Boot's report above says it, since in
     * profile aws that report is one JSON line; else the first reason that is not a bean wrapping another, with the
     * cause of a binding ("Failed to bind properties under ...: ...width must be 1 to 8192, got 0"), not "Error
     * creating bean with name ...".
     */
    static String startFailure(RuntimeException e) {
        for (FailureAnalyzer analyzer : OWN_ANALYZERS) {
            FailureAnalysis analysis = analyzer.analyze(e);
            if (analysis != null) {
                String description = analysis.getDescription().strip();
                return description + (description.endsWith(".") ? " " : ". ") + analysis.getAction();
            }
        }
        for (Throwable cause : Causes.of(e)) {
            if (!(cause instanceof org.springframework.beans.BeansException)) {
                // a binding names the properties, its cause why they were refused (a range, a value that is no number)
                return cause instanceof BindException && cause.getCause() != null
                        ? cause.getMessage() + ": " + NestedExceptionUtils.getMostSpecificCause(cause).getMessage()
                        : cause.getMessage();
            }
        }
        return e.getMessage();
    }

    /**
     * Starts {@code application} without a web server, runs the command the first argument names and closes the
     * application.
     *
     * @return the exit status: {@link Command#OK}, {@link Command#FAILED} or {@link Command#USAGE}
     */
    public static int run(Class<?> application, String[] given, PrintStream out) {
        if (optionWithoutValueBeforeCommand(given, out)) {
            return Command.USAGE;
        }
        String[] args = commandFirst(given);
        ConfigurableApplicationContext started;
        try {
            started = new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                // a command's output is its progress and summary; per-image lines come from the notifier (--notify)
                .properties(Map.of("logging.level.root", "warn", "logging.level.io.github.lambdaimageprocessor",
                        "info"))
                // over every configuration file: which command runs (commands may bring their own beans), and no
                // metrics lines on an operator's terminal (they are the function's, on Lambda)
                .initializers(context -> context.getEnvironment().getPropertySources().addFirst(
                        new MapPropertySource("command", Map.of(COMMAND_PROPERTY, args[0],
                                "image-processor.metrics.enabled", "false"))))
                .run(args);
        }
        catch (RuntimeException e) {
            // Spring Boot has logged why (a property it cannot bind, a missing setting): nothing was done
            out.println(args[0] + ": the application could not start with this configuration (see the log above): "
                    + startFailure(e));
            return Command.USAGE;
        }
        try (ConfigurableApplicationContext context = started) {
            Map<String, Command> commands = new TreeMap<>();
            context.getBeansOfType(Command.class).values().forEach(command -> commands.put(command.name(), command));
            Command command = commands.get(args[0]);
            if (command == null) {
                out.println("Unknown command '" + args[0] + "' in profile "
                        + String.join(",", context.getEnvironment().getActiveProfiles().length > 0
                                ? context.getEnvironment().getActiveProfiles()
                                : context.getEnvironment().getDefaultProfiles())
                        + ". Commands: " + String.join(", ", commands.keySet())
                        + " (redrive needs SPRING_PROFILES_ACTIVE=aws)");
                return Command.USAGE;
            }
            if (Arrays.stream(args, 1, args.length).anyMatch(CommandLine::isHelp)) {
                out.println("Usage: java -jar <jar> " + command.name() + " " + command.usage());
                return Command.OK;
            }
            CommandArguments arguments;
            try {
                arguments = CommandArguments.parse(args, command.valueOptions(), command.flagOptions());
            }
            catch (UsageException e) {
                out.println(command.name() + ": " + e.getMessage());
                out.println("Usage: java -jar <jar> " + command.name() + " " + command.usage());
                return Command.USAGE;
            }
            try {
                return command.run(arguments, out);
            }
            catch (RuntimeException e) {
                // an unreadable switch, a queue that does not exist: the reason, not forty lines of stack trace
                out.println(command.name() + ": failed: " + e.getMessage());
                return Command.FAILED;
            }
        }
    }
}
