package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether tests that run tor can run here. Without a tor binary they are skipped, except under CI
 * ({@code CI} set), which installs tor: there a missing binary must fail the build, not hide it.
 */
public final class TorAvailable {
    private TorAvailable() {
    }

    public static boolean torInstalled() {
        return TorBinary.find("tor").isPresent() && TorBinary.find("tor-gencert").isPresent();
    }

    public static void assumeTor() {
        if (System.getenv("CI") != null) {
            return;
        }
        assumeTrue(torInstalled(), "tor and tor-gencert are not installed (Debian: apt-get install tor)");
    }

    /** {@code dir} if its path has no whitespace (tor needs that), else a fresh folder under /tmp. */
    public static Path tempDirWithoutWhitespace(Path dir) {
        if (dir.toAbsolutePath().toString().chars().noneMatch(Character::isWhitespace)) {
            return dir;
        }
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "hyphae-tor-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
