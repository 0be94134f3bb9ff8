package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.http.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The node settings {@code hyphae run} makes of its options. */
class RunCommandTest {
    @TempDir
    Path dataDir;

    private NodeSettings settings(String... options) {
        RunCommand run = new RunCommand();
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--no-tor",
                "--no-mdns"));
        args.addAll(List.of(options));
        new CommandLine(run).parseArgs(args.toArray(String[]::new));
        return run.settings();
    }

    @Test
    void turnServersAreOfferedWithTheirSecretAndLifetime() {
        NodeSettings settings = settings("--turn-uri", "turn:turn.example.org:3478?transport=udp",
                "--turn-uri", "turns:turn.example.org:5349", "--turn-secret", "north-wind", "--turn-ttl", "600");

        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"),
                settings.turn().uris());
        assertEquals("north-wind", settings.turn().sharedSecret());
        assertEquals(Duration.ofMinutes(10), settings.turn().ttl());
    }

    @Test
    void withoutTurnOptionsNoTurnServerIsOffered() {
        assertFalse(settings().turn().configured());
    }

    @Test
    void aTurnUriWithoutSecretOrOfAnotherSchemeIsAUsageError() {
        assertThrows(ParameterException.class, () -> settings("--turn-uri", "turn:turn.example.org"));
        assertThrows(ParameterException.class, () -> settings("--turn-uri", "stun:stun.example.org",
                "--turn-secret", "s"));
    }

    @Test
    void rateLimitsDefaultToTheServersLimits() {
        ClientRateLimits limits = settings().clientRateLimits();

        assertEquals(new RateLimit(200, 400), limits.perIp());
        assertEquals(new RateLimit(50, 200), limits.perUser());
    }

    @Test
    void aRateLimitTakesARateAndABurstOrTwoSecondsWorthWithoutOne() {
        ClientRateLimits limits = settings("--rate-limit-per-ip", "1000/5000", "--rate-limit-per-user", "2.5").clientRateLimits();

        assertEquals(new RateLimit(1000, 5000), limits.perIp());
        assertEquals(new RateLimit(2.5, 5), limits.perUser());
    }

    @Test
    void aRateOfZeroTurnsTheLimitOff() {
        ClientRateLimits limits = settings("--rate-limit-per-ip", "0", "--rate-limit-per-user", "0/10").clientRateLimits();

        assertTrue(limits.perIp().isUnlimited());
        assertTrue(limits.perUser().isUnlimited());
    }

    @Test
    void aMalformedRateLimitIsAUsageErrorNamingItsOption() {
        for (String bad : List.of("fast", "-1", "10/0", "10/x", "10/2.5", "NaN", "Infinity", "")) {
            ParameterException e = assertThrows(ParameterException.class,
                    () -> settings("--rate-limit-per-user", bad), bad);
            assertTrue(e.getMessage().startsWith("--rate-limit-per-user "), e.getMessage());
        }
    }
}
