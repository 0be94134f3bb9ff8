package dev.hyphae.transport.tor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds tor's executables: a path as given, or a bare name on PATH or in the usual system folders. */
public final class TorBinary {
    /** Debian puts tor in /usr/sbin, which is not on every user's PATH. */
    private static final List<String> SYSTEM_FOLDERS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");

    private TorBinary() {
    }

    /** The system's tor, if there is one. */
    public static Optional<Path> systemTor() {
        return find("tor");
    }

    /**
     * Resolves {@code command}: a name with a slash is taken as a path, a bare name is looked up on
     * PATH and then in the system folders. Empty when nothing executable is found.
     */
    public static Optional<Path> find(String command) {
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        if (command.contains("/")) {
            Path path = Path.of(command);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> folders = new ArrayList<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String folder : pathVariable.split(File.pathSeparator)) {
                if (!folder.isEmpty()) {
                    folders.add(folder);
                }
            }
        }
        folders.addAll(SYSTEM_FOLDERS);
        for (String folder : folders) {
            Path candidate = Path.of(folder, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The executable to run for {@code command}: as {@link #find} resolves it, or, when the command
     * is the plain name {@code tor} and no tor is installed, the carried tor unpacked into
     * {@code unpackFolder}. Fails with a message that says how to get tor.
     */
    public static Path resolve(String command, BundledTor bundled, Path unpackFolder) {
        Optional<Path> found = find(command);
        if (found.isPresent()) {
            return found.get();
        }
        if ("tor".equals(command)) {
            Optional<Path> unpacked = bundled.unpack(unpackFolder);
            if (unpacked.isPresent()) {
                return unpacked.get();
            }
        }
        return require(command);
    }

    /** Whether {@link #resolve} finds something to run for {@code command}. */
    public static boolean available(String command, BundledTor bundled) {
        return find(command).isPresent() || ("tor".equals(command) && bundled.available());
    }

    /** Like {@link #find} but fails with a message that says how to get tor. */
    public static Path require(String command) {
        return find(command).orElseThrow(() -> new TorException("no executable '" + command
            + "' found on PATH or in " + SYSTEM_FOLDERS + "; install tor (Debian: apt-get install tor)"));
    }
}
