package dev.hyphae.cli;

import dev.hyphae.node.federation.CarrierFederationClient;
import dev.hyphae.node.federation.outbound.FederationMetrics;
import dev.hyphae.node.metrics.MetricsRegistry;
import dev.hyphae.node.metrics.MetricsRegistry.Type;
import dev.hyphae.node.sync.SyncNotifier;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * What a running node reports to its operator's Prometheus: the federation queue, deliveries,
 * each carrier's requests and latency, libp2p peers and waiting syncs. Totals only, never per
 * destination: the scrape must not list the servers this node talks to.
 */
final class NodeMetrics {
    private NodeMetrics() {
    }

    static MetricsRegistry of(FederationMetrics federation, Supplier<CarrierFederationClient> carriers, Libp2pHost host,
            boolean libp2p, SyncNotifier sync, LongSupplier mailboxItemsTooLarge) {
        MetricsRegistry registry = new MetricsRegistry()
                .add("hyphae_federation_queue_items", "PDUs and EDUs queued for other servers, not yet delivered.",
                        Type.GAUGE, () -> federation.queueLengths().values().stream().mapToInt(Integer::intValue).sum())
                .add("hyphae_federation_destinations_waiting", "Servers with at least one item queued.", Type.GAUGE,
                        () -> federation.queueLengths().values().stream().filter(length -> length > 0).count())
                .add("hyphae_federation_transactions_delivered_total", "Transactions other servers accepted.",
                        Type.COUNTER, sum(federation, FederationMetrics.DestinationStats::transactionsDelivered))
                .add("hyphae_federation_pdus_delivered_total", "PDUs delivered to other servers.", Type.COUNTER,
                        sum(federation, FederationMetrics.DestinationStats::pdusDelivered))
                .add("hyphae_federation_edus_delivered_total", "EDUs delivered to other servers.", Type.COUNTER,
                        sum(federation, FederationMetrics.DestinationStats::edusDelivered))
                .add("hyphae_federation_delivery_failures_total", "Transactions that failed and wait for a retry.",
                        Type.COUNTER, sum(federation, FederationMetrics.DestinationStats::failures))
                .add("hyphae_federation_items_dropped_total", "Items another server refused for good.", Type.COUNTER,
                        sum(federation, FederationMetrics.DestinationStats::itemsDropped))
                .addLabelled("hyphae_carrier_requests_total", "Federation requests per carrier.", Type.COUNTER,
                        perCarrier(carriers, carrier -> carrier.counters().attempts()))
                .addLabelled("hyphae_carrier_answered_total", "Requests the other server answered, per carrier.",
                        Type.COUNTER, perCarrier(carriers, carrier -> carrier.counters().successes()))
                .addLabelled("hyphae_carrier_unreachable_total", "Requests that reached no server, per carrier.",
                        Type.COUNTER, perCarrier(carriers, carrier -> carrier.counters().failures()))
                .addLabelled("hyphae_carrier_last_latency_seconds", "The last answered request's round trip, per carrier.",
                        Type.GAUGE, perCarrier(carriers, carrier -> carrier.counters().lastLatency().toNanos() / 1e9))
                .add("hyphae_mailbox_items_too_large_total",
                        "Items dropped instead of deposited because no mailbox envelope holds them.", Type.COUNTER,
                        mailboxItemsTooLarge::getAsLong)
                .add("hyphae_sync_waiters", "Client /sync long polls waiting for news.", Type.GAUGE, sync::waitingCount);
        if (libp2p) {
            registry.add("hyphae_p2p_connections", "Live libp2p connections.", Type.GAUGE, host::connectionCount)
                    .add("hyphae_p2p_known_peers", "Peers in the peer store.", Type.GAUGE, () -> host.peerStore().size());
        }
        return registry;
    }

    private static DoubleSupplier sum(FederationMetrics federation,
            ToLongFunction<FederationMetrics.DestinationStats> field) {
        return () -> federation.destinations().values().stream().mapToLong(field).sum();
    }

    private static Supplier<Map<Map<String, String>, Double>> perCarrier(Supplier<CarrierFederationClient> carriers,
            ToDoubleFunction<CarrierFederationClient.Carrier> value) {
        return () -> {
            Map<Map<String, String>, Double> samples = new LinkedHashMap<>();
            for (CarrierFederationClient.Carrier carrier : carriers.get().carriers()) {
                samples.put(Map.of("carrier", carrier.name()), value.applyAsDouble(carrier));
            }
            return samples;
        };
    }
}
