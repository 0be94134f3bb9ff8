package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tor whose only directory authority is a closed loopback port: start, control port, onion
 * key, restart, stop. Needs the tor binary (tag {@code tor}); fast, since no network is joined.
 */
@Tag("tor")
class TorProcessIT {
    private static final String FINGERPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final List<String> UNREACHABLE_NETWORK = List.of("TestingTorNetwork 1",
        "DirAuthority nowhere orport=1 no-v2 v3ident=" + FINGERPRINT + " 127.0.0.1:1 " + FINGERPRINT);

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private TorProcess tor;

    @BeforeAll
    static void needsTor() {
        TorAvailable.assumeTor();
    }

    @AfterEach
    void stopTor() {
        if (tor != null) {
            long pid = pidOrZero(tor);
            tor.close();
            ProcessHandle.of(pid).ifPresent(handle -> handle.destroyForcibly());
        }
    }

    private TorProcess startOffline() {
        List<BootstrapStatus> progress = new CopyOnWriteArrayList<>();
        TorConfig config = TorConfig.defaults(TorAvailable.tempDirWithoutWhitespace(dir).resolve("tor"))
            .withExtraTorrcLines(UNREACHABLE_NETWORK)
            .withRestartDelays(Duration.ofMillis(200), Duration.ofSeconds(2));
        tor = TorProcess.start(config, progress::add);
        return tor;
    }

    @Test
    void theCarriedTorStartsAndPublishesAnOnionKeyLikeTheSystemOne() {
        Path home = TorAvailable.tempDirWithoutWhitespace(dir).resolve("tor");
        Path carried = BundledTor.forThisSystem().unpack(home.resolve("bin")).orElseThrow();
        TorConfig config = TorConfig.defaults(home).withTorCommand(carried.toString())
            .withExtraTorrcLines(UNREACHABLE_NETWORK)
            .withRestartDelays(Duration.ofMillis(200), Duration.ofSeconds(2));
        tor = TorProcess.start(config, status -> { });
        OnionKeys keys = OnionKeys.fixed(9);

        String serviceId = tor.session().control.addOnion(keys.expandedSecretKey(), 80,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));

        assertEquals(keys.serviceId(), serviceId);
    }

    @Test
    void torStartsWithSocksAndControlOnLoopback() throws Exception {
        startOffline();

        InetSocketAddress socks = tor.socksAddress();
        assertTrue(socks.getAddress().isLoopbackAddress(), socks.toString());
        try (Socket probe = new Socket(socks.getAddress(), socks.getPort())) {
            assertTrue(probe.isConnected());
        }
        assertEquals(1, tor.generation());
    }

    @Test
    void theServiceIdTorReturnsIsTheAddressOfTheKey() {
        startOffline();
        OnionKeys keys = OnionKeys.fixed(7);

        String serviceId = tor.session().control.addOnion(keys.expandedSecretKey(), 80,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));

        assertEquals(keys.serviceId(), serviceId);
    }

    @Test
    void aKilledTorIsRestartedWithNewPorts() throws Exception {
        startOffline();
        long firstPid = tor.pid();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
        ProcessHandle.of(firstPid).ifPresent(handle -> handle.onExit().orTimeout(5, TimeUnit.SECONDS).join());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tor.generation() < 2 || pidOrZero(tor) == 0) {
            assertTrue(System.nanoTime() < deadline, "tor was not restarted; output:\n" + tor.lastOutput());
            Thread.sleep(100);
        }

        assertNotEquals(firstPid, tor.pid());
        assertTrue(tor.socksAddress().getAddress().isLoopbackAddress());
    }

    @Test
    void closeStopsTorAndLeavesNoProcess() {
        startOffline();
        ProcessHandle handle = ProcessHandle.of(tor.pid()).orElseThrow();

        tor.close();

        handle.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        assertFalse(handle.isAlive());
        assertEquals("stopped", tor.bootstrapStatus().tag());
    }

    private static long pidOrZero(TorProcess tor) {
        try {
            return tor.pid();
        } catch (TorException e) {
            return 0;
        }
    }
}
