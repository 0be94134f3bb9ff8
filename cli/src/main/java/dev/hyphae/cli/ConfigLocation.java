package dev.hyphae.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which config file a command line uses, found before the command line is parsed (the file
 * supplies defaults to that parse): {@code --config FILE}, else {@code $HYPHAE_CONFIG}, else
 * {@code config.yaml} in the data directory when it exists. A file named explicitly must exist.
 */
final class ConfigLocation {
    static final String FILE_NAME = "config.yaml";

    private ConfigLocation() {
    }

    static ConfigFile find(String[] args, Map<String, String> environment) {
        String explicit = argument(args, "--config");
        if (explicit == null) {
            explicit = blankToNull(environment.get("HYPHAE_CONFIG"));
        }
        if (explicit != null) {
            return ConfigFile.read(Path.of(explicit), true);
        }
        return ConfigFile.read(dataDirectory(args, environment).resolve(FILE_NAME), false);
    }

    private static Path dataDirectory(String[] args, Map<String, String> environment) {
        String dataDir = argument(args, "--data-dir");
        if (dataDir != null) {
            return Path.of(dataDir);
        }
        return DataDirectoryOption.defaultDirectory(environment);
    }

    /** The value of {@code --name VALUE} or {@code --name=VALUE}, the last one given; null if absent. */
    private static String argument(String[] args, String name) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals(name) && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith(name + "=")) {
                value = args[i].substring(name.length() + 1);
            }
        }
        return blankToNull(value);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
