package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorrcTest {
    private final TorConfig config = TorConfig.defaults(Path.of("/var/lib/hyphae/tor"));

    @Test
    void torListensOnlyOnLoopbackWithPortsItChoosesAndCookieAuthentication() {
        List<String> lines = Torrc.render(config, 4242).lines().toList();

        assertTrue(lines.contains("DataDirectory /var/lib/hyphae/tor/data"), lines.toString());
        assertTrue(lines.contains("SocksPort 127.0.0.1:auto ExtendedErrors"), lines.toString());
        assertTrue(lines.contains("ControlPort 127.0.0.1:auto"), lines.toString());
        assertTrue(lines.contains("ControlPortWriteToFile /var/lib/hyphae/tor/control-port"), lines.toString());
        assertTrue(lines.contains("CookieAuthentication 1"), lines.toString());
        assertTrue(lines.contains("CookieAuthFile /var/lib/hyphae/tor/data/control_auth_cookie"), lines.toString());
    }

    @Test
    void torExitsWithTheJvmThatOwnsIt() {
        assertTrue(Torrc.render(config, 4242).lines().anyMatch("__OwningControllerProcess 4242"::equals));
    }

    @Test
    void extraLinesComeLastAndUnchanged() {
        List<String> extra = List.of("TestingTorNetwork 1",
            "DirAuthority a orport=5000 no-v2 v3ident=AB 127.0.0.1:7000 CD", "PathsNeededToBuildCircuits 0.67");
        List<String> lines = Torrc.render(config.withExtraTorrcLines(extra), 1).lines().toList();

        assertEquals(extra, lines.subList(lines.size() - 3, lines.size()));
    }

    @Test
    void extraLinesMayNotTakeOverTheControlPortOrTheDataDirectory() {
        for (String line : List.of("ControlPort 9051", "controlport 9051", "  SocksPort 9050", "DataDirectory /tmp/x",
            "CookieAuthentication 0", "HashedControlPassword 16:AB", "__OwningControllerProcess 1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.withExtraTorrcLines(List.of(line)), line);
            assertTrue(e.getMessage().contains("manages itself"), e.getMessage());
        }
    }

    @Test
    void anExtraLineCannotSmuggleInASecondLine() {
        assertThrows(IllegalArgumentException.class, () -> config.withExtraTorrcLines(List.of("Log notice stdout\nControlPort 1")));
    }

    @Test
    void commentsAndBlankExtraLinesAreAllowed() {
        String torrc = Torrc.render(config.withExtraTorrcLines(List.of("# private network", "")), 1);

        assertTrue(torrc.contains("# private network\n"), torrc);
    }

    @Test
    void aDirectoryWithWhitespaceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TorConfig.defaults(Path.of("/home/a user/hyphae/tor")));
        assertTrue(e.getMessage().contains("whitespace"), e.getMessage());
    }
}
