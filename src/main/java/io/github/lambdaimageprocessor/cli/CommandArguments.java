package io.github.lambdaimageprocessor.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's options, parsed from {@code <command> [--name=value | --name value] [--flag]}. Arguments that name a property
 * ({@code --image-processor.thumbnail.width=128}, anything with a dot) are Spring Boot's and passed over here; any other
 * unknown argument is a usage error, so a mistyped {@code --froce} never silently runs without force.
 *
 * @param command the command name
 * @param values the value options given
 * @param flags the flags given
 */
public record CommandArguments(String command, Map<String, String> values, Set<String> flags) {

    public CommandArguments {
        values = Map.copyOf(values);
        flags = Set.copyOf(flags);
    }

    /**
     * @throws UsageException for an unknown option, a flag given a value, a value option without one, or an option
     *         given twice
     */
    public static CommandArguments parse(String[] args, Set<String> valueOptions, Set<String> flagOptions) {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (name.contains(".")) {
                continue;
            }
            if (valueOptions.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                }
                else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    // --name value, as scripts and most tools take it
                    value = args[++i];
                }
                else {
                    throw new UsageException("--" + name + " needs a value: --" + name + "=... or --" + name + " ...");
                }
                if (values.put(name, value) != null) {
                    throw new UsageException("--" + name + " given twice");
                }
            }
            else if (flagOptions.contains(name)) {
                if (equals >= 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            }
            else {
                throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new CommandArguments(args[0], values, flags);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
