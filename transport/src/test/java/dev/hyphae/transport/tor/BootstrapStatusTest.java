package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootstrapStatusTest {

    @Test
    void readsProgressTagAndSummaryOfAStatusClientEvent() {
        BootstrapStatus status = BootstrapStatus.parse(
            "NOTICE BOOTSTRAP PROGRESS=45 TAG=requesting_descriptors SUMMARY=\"Asking for relay descriptors\"").orElseThrow();

        assertEquals(new BootstrapStatus(45, "requesting_descriptors", "Asking for relay descriptors"), status);
        assertFalse(status.done());
    }

    @Test
    void hundredPercentIsDone() {
        assertTrue(BootstrapStatus.parse("NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"").orElseThrow().done());
    }

    @Test
    void otherClientStatusesAreNotBootstrapProgress() {
        assertEquals(Optional.empty(), BootstrapStatus.parse("NOTICE CIRCUIT_ESTABLISHED"));
        assertEquals(Optional.empty(), BootstrapStatus.parse("NOTICE BOOTSTRAP PROGRESS=140 TAG=x"));
        assertEquals(Optional.empty(), BootstrapStatus.parse(null));
    }

    @Test
    void escapedQuotesInTheSummaryAreUnescaped() {
        assertEquals("say \"hi\"", BootstrapStatus.parse("WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY=\"say \\\"hi\\\"\" WARNING=x")
            .orElseThrow().summary());
    }
}
