package dev.hyphae.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** {@code hyphae config}: the config file of {@code hyphae run}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check or print the node's config file.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Sample.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hyphae config check}: one line per problem, exit 1 when there is any. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Explain what is wrong with the config file, one line per problem.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption configOption;

        @Mixin
        DataDirectoryOption dataDirectory;

        /** The file found before parsing, handed over by {@link Hyphae}. */
        ConfigFile config = ConfigFile.none();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (config.path().isEmpty()) {
                spec.commandLine().getOut().println("no config file: every option has its default");
                return 0;
            }
            List<String> problems = ConfigCheck.problems(config);
            String file = config.path().get().toString();
            if (problems.isEmpty()) {
                spec.commandLine().getOut().println(file + ": ok");
                return 0;
            }
            problems.forEach(problem -> spec.commandLine().getErr().println(file + ": " + problem));
            return 1;
        }
    }

    /** {@code hyphae config sample}: every option of {@code hyphae run} with its default, as YAML. */
    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Print a config file with every option, its description and its default.")
    static final class Sample implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            out.println("# Hyphae config file: keys are the long options of 'hyphae run'.");
            out.println("# Precedence: command-line flag, then HYPHAE_<KEY> (capitals, '-' as '_'), then this file.");
            for (OptionSpec option : new CommandLine(new RunCommand()).getCommandSpec().options()) {
                String key = ConfiguredDefaults.key(option);
                if (option.usageHelp() || option.versionHelp() || key.equals("config")) {
                    continue;
                }
                out.println();
                for (String line : option.description()) {
                    out.println("# " + line.replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue())));
                }
                out.println("# environment: " + ConfiguredDefaults.environmentVariable(key));
                out.println("#" + key + ": " + sampleValue(option));
            }
            return 0;
        }

        private static String sampleValue(OptionSpec option) {
            if (option.type() == boolean.class || option.type() == Boolean.class) {
                return "false";
            }
            String value = option.defaultValue() == null ? "" : option.defaultValue();
            return option.isMultiValue() ? "[" + value + "]" : value;
        }
    }
}
