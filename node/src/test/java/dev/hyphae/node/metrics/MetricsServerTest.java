package dev.hyphae.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void aScrapeReadsEachFigureAsItIsNowInTheTextFormat() throws Exception {
        AtomicLong queued = new AtomicLong(3);
        MetricsRegistry registry = new MetricsRegistry()
                .add("hyphae_federation_queue_items", "Items waiting for delivery.", MetricsRegistry.Type.GAUGE, queued::get)
                .addLabelled("hyphae_carrier_attempts_total", "Requests per carrier.", MetricsRegistry.Type.COUNTER,
                        () -> Map.of(Map.of("carrier", "libp2p"), 7.0, Map.of("carrier", "tor"), 2.0));
        try (MetricsServer server = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry)) {
            InetSocketAddress bound = server.start();
            URI uri = URI.create("http://127.0.0.1:" + bound.getPort() + "/metrics");
            queued.set(5);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = response.body();
            assertTrue(body.contains("# TYPE hyphae_federation_queue_items gauge\nhyphae_federation_queue_items 5\n"), body);
            assertTrue(body.contains("hyphae_carrier_attempts_total{carrier=\"libp2p\"} 7\n"), body);
            assertTrue(body.contains("hyphae_carrier_attempts_total{carrier=\"tor\"} 2\n"), body);

            HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void aFailingSourceIsLeftOutAndTheRestStillScraped() {
        MetricsRegistry registry = new MetricsRegistry()
                .add("broken", "Fails.", MetricsRegistry.Type.GAUGE, () -> {
                    throw new IllegalStateException("store closed");
                })
                .add("fine", "Works.", MetricsRegistry.Type.GAUGE, () -> 1.5);
        assertEquals("# HELP fine Works.\n# TYPE fine gauge\nfine 1.5\n", registry.scrape());
    }

    @Test
    void onlyLoopbackAddressesAndValidNamesAreAccepted() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new MetricsServer(
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), new MetricsRegistry()));
        assertThrows(IllegalArgumentException.class, () -> new MetricsRegistry()
                .add("bad name", "x", MetricsRegistry.Type.GAUGE, () -> 0));
    }
}
