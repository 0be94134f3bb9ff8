package dev.hyphae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}. Read before the command line is parsed ({@link ConfigLocation}); declared
 * here so that commands accept it and list it in their help.
 */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default: $HYPHAE_CONFIG, else config.yaml in the data directory).")
    Path config;
}
