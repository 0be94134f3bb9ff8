package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Finds what is wrong with a config file for {@code hyphae run}: the file's own problems, keys that
 * name no option, and values the option would refuse. One line per problem, naming the key.
 */
final class ConfigCheck {
    /** Keys read before parsing, or meaningless in a file. */
    private static final Set<String> NOT_IN_FILE = Set.of("config", "help", "version");

    private ConfigCheck() {
    }

    static List<String> problems(ConfigFile config) {
        List<String> problems = new ArrayList<>(config.problems());
        if (config.entries().isEmpty()) {
            return problems; // nothing to check, so the model of the options (reflection) is not built
        }
        CommandSpec run = new CommandLine(new RunCommand()).getCommandSpec();
        Map<String, Consumer<String>> formats = Map.of(
                "listen", RunCommand::parseListenAddress,
                "metrics-listen", RunCommand::parseListenAddress,
                "p2p-listen", value -> splitEach(value, Libp2pOptions::parse),
                "bootstrap", value -> splitEach(value, Libp2pOptions::parse),
                "rate-limit-per-ip", RateLimitOptions::parse,
                "rate-limit-per-user", RateLimitOptions::parse);
        for (Map.Entry<String, JsonNode> entry : config.entries().entrySet()) {
            String key = entry.getKey();
            OptionSpec option = run.findOption("--" + key);
            if (option == null || NOT_IN_FILE.contains(key)) {
                problems.add(key + ": not an option of 'hyphae run'");
                continue;
            }
            if (entry.getValue().isNull()) {
                continue; // an empty key leaves the option at its default
            }
            String problem = valueProblem(option, entry.getValue(), formats.get(key), config.value(key).orElse(""));
            if (problem != null) {
                problems.add(key + ": " + problem);
            }
        }
        return problems;
    }

    private static String valueProblem(OptionSpec option, JsonNode value, Consumer<String> format, String text) {
        boolean repeatable = option.isMultiValue();
        if (value.isArray() && !repeatable) {
            return "takes one value, not a list";
        }
        if (option.type() == boolean.class || option.type() == Boolean.class) {
            return value.isBoolean() || text.equals("true") || text.equals("false") ? null : "must be true or false";
        }
        if (format != null) {
            try {
                format.accept(text);
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private static void splitEach(String value, Consumer<String> check) {
        for (String item : value.split(",")) {
            if (!item.isEmpty()) {
                check.accept(item);
            }
        }
    }
}
