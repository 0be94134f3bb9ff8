package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting tor fails with a reason, shown with fake tor executables. */
class TorProcessTest {
    @TempDir
    Path dir;

    @Test
    void aMissingTorBinarySaysHowToInstallTor() {
        TorConfig config = TorConfig.defaults(dir.resolve("tor")).withTorCommand("no-such-tor-binary");

        TorException e = assertThrows(TorException.class, () -> TorProcess.start(config, BootstrapListener.NONE));

        assertTrue(e.getMessage().contains("no executable 'no-such-tor-binary'"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install tor"), e.getMessage());
    }

    @Test
    void aTorThatExitsAtOnceIsReportedWithItsOutput() throws IOException {
        Path fakeTor = script("echo '[warn] Failed to parse/validate config: Unknown option'; exit 1");
        TorConfig config = TorConfig.defaults(dir.resolve("tor")).withTorCommand(fakeTor.toString());

        TorException e = assertThrows(TorException.class, () -> TorProcess.start(config, BootstrapListener.NONE));

        assertTrue(e.getMessage().contains("tor exited with status 1 before opening its control port"), e.getMessage());
        assertTrue(e.getMessage().contains("Unknown option"), e.getMessage());
    }

    @Test
    void aTorThatOpensNoControlPortIsStoppedAfterTheStartTimeout() throws IOException {
        Path pidFile = dir.resolve("pid");
        Path fakeTor = script("echo $$ > " + pidFile + "; exec sleep 60");
        TorConfig config = new TorConfig(fakeTor.toString(), dir.resolve("tor"), java.util.List.of(), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

        TorException e = assertThrows(TorException.class, () -> TorProcess.start(config, BootstrapListener.NONE));

        assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join());
        assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "fake tor still runs");
    }

    @Test
    void theTorrcIsWrittenBeforeTorStarts() throws IOException {
        Path fakeTor = script("exit 3");
        TorConfig config = TorConfig.defaults(dir.resolve("tor")).withTorCommand(fakeTor.toString());

        assertThrows(TorException.class, () -> TorProcess.start(config, BootstrapListener.NONE));

        assertTrue(Files.readString(config.torrcFile()).contains("ControlPort 127.0.0.1:auto"));
        assertTrue(Files.isDirectory(config.dataDirectory()));
    }

    private Path script(String body) throws IOException {
        Path script = dir.resolve("fake-tor");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
