package dev.hyphae.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option that is not on the command line takes its value: the environment variable
 * {@code HYPHAE_<NAME>} (the long option name in capitals, dashes as underscores), else the config
 * file's key {@code <name>}, else the option's built-in default. A flag on the command line
 * overrides all three.
 */
final class ConfiguredDefaults implements IDefaultValueProvider {
    private final ConfigFile config;
    private final Map<String, String> environment;

    ConfiguredDefaults(ConfigFile config, Map<String, String> environment) {
        this.config = config;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String key = key(option);
        String fromEnvironment = environment.get(environmentVariable(key));
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Optional<String> fromFile = config.value(key);
        return fromFile.orElse(null);
    }

    /** The config key of an option: its long name without the leading dashes. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    static String environmentVariable(String key) {
        return "HYPHAE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
