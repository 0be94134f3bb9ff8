package dev.hyphae.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The node's data directory: {@code --data-dir}, else {@code $HYPHAE_DATA_DIR}, else
 * {@code $XDG_DATA_HOME/hyphae}, else {@code ~/.local/share/hyphae}.
 */
final class DataDirectoryOption {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (keys, database, media).")
    Path dataDir;

    Path resolve() {
        return dataDir != null ? dataDir : defaultDirectory(System.getenv());
    }

    /** The data directory when no {@code --data-dir} is given. */
    static Path defaultDirectory(Map<String, String> environment) {
        String fromEnvironment = environment.get("HYPHAE_DATA_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        String xdg = environment.get("XDG_DATA_HOME");
        Path dataHome = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return dataHome.resolve("hyphae");
    }
}
