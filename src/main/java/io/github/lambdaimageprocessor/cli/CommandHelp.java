package io.github.lambdaimageprocessor.cli;

/**
 * What {@code java -jar <jar> <command> --help} prints for a command: known without starting the application, so help
 * works whatever the configuration (a profile aws without a region, a folder that is not there).
 *
 * @param name the argument that selects the command
 * @param usage its options, the first line a synopsis, then one line per option
 */
public record CommandHelp(String name, String usage) {
}
