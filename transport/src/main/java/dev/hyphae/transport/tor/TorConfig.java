package dev.hyphae.transport.tor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a node's own tor.
 *
 * @param torCommand        the tor executable: a path, or a bare name looked up by {@link TorBinary}
 * @param directory         tor's folder under the node's data directory: torrc, data, control-port file;
 *                          its absolute path must not contain whitespace (tor's torrc cannot quote it everywhere)
 * @param extraTorrcLines   more torrc lines, e.g. a private network's {@code DirAuthority} lines
 * @param startTimeout      how long tor may take to open its control port
 * @param firstRestartDelay the wait before restarting a tor that died; doubled after each quick death
 * @param maxRestartDelay   the longest wait between restarts
 */
public record TorConfig(String torCommand, Path directory, List<String> extraTorrcLines, Duration startTimeout,
                        Duration firstRestartDelay, Duration maxRestartDelay) {

    public TorConfig {
        Objects.requireNonNull(torCommand, "torCommand");
        Objects.requireNonNull(directory, "directory");
        extraTorrcLines = List.copyOf(extraTorrcLines);
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(firstRestartDelay, "firstRestartDelay");
        Objects.requireNonNull(maxRestartDelay, "maxRestartDelay");
        directory = directory.toAbsolutePath().normalize();
        if (directory.toString().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("tor's directory must not contain whitespace: " + directory);
        }
        if (firstRestartDelay.isNegative() || maxRestartDelay.compareTo(firstRestartDelay) < 0) {
            throw new IllegalArgumentException("restart delays must satisfy 0 <= first <= max");
        }
        Torrc.checkExtraLines(extraTorrcLines);
    }

    /** The system's tor in {@code directory}, no extra lines, 30 s to start, restarts after 1 s up to 1 min. */
    public static TorConfig defaults(Path directory) {
        return new TorConfig("tor", directory, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    public TorConfig withTorCommand(String command) {
        return new TorConfig(command, directory, extraTorrcLines, startTimeout, firstRestartDelay, maxRestartDelay);
    }

    public TorConfig withExtraTorrcLines(List<String> lines) {
        return new TorConfig(torCommand, directory, lines, startTimeout, firstRestartDelay, maxRestartDelay);
    }

    public TorConfig withRestartDelays(Duration first, Duration max) {
        return new TorConfig(torCommand, directory, extraTorrcLines, startTimeout, first, max);
    }

    /** tor's DataDirectory. */
    public Path dataDirectory() {
        return directory.resolve("data");
    }

    /** The torrc this node writes anew at every start. */
    public Path torrcFile() {
        return directory.resolve("torrc");
    }

    /** Where tor writes the address of its control port ({@code PORT=127.0.0.1:N}). */
    public Path controlPortFile() {
        return directory.resolve("control-port");
    }

    /** The cookie that authenticates on the control port. */
    public Path cookieFile() {
        return dataDirectory().resolve("control_auth_cookie");
    }
}
