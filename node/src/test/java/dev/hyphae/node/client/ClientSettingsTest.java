package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.Method;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
    private static MatrixRequest withHost(String host) {
        Map<String, String> headers = host == null ? Map.of() : Map.of("host", host);
        return new MatrixRequest(Method.GET, "/", Map.of(), Map.of(), headers, new byte[0], "127.0.0.1", null);
    }

    @Test
    void withoutAConfiguredUrlTheClientsOwnHostIsUsed() {
        ClientSettings settings = new ClientSettings(Optional.empty(), false);
        assertEquals(Optional.of("http://localhost:8008"), settings.baseUrlFor(withHost("localhost:8008")));
        assertEquals(Optional.of("http://[::1]:8008"), settings.baseUrlFor(withHost("[::1]:8008")));
    }

    @Test
    void aMissingOrStrangeHostGivesNoUrl() {
        ClientSettings settings = new ClientSettings(Optional.empty(), false);
        assertEquals(Optional.empty(), settings.baseUrlFor(withHost(null)));
        assertEquals(Optional.empty(), settings.baseUrlFor(withHost("evil.example/<script>")));
    }

    @Test
    void aConfiguredUrlWins() {
        ClientSettings settings = new ClientSettings(Optional.of("https://matrix.example"), false);
        assertEquals(Optional.of("https://matrix.example"), settings.baseUrlFor(withHost("localhost:8008")));
    }
}
