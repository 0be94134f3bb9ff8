package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyphae p2p ping MULTIADDR}: the peer's ID and the round-trip times of a few pings, as JSON. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ping a libp2p peer and print its peer ID and round-trip times (ms) as JSON.")
final class P2pPingCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…")
    String address;

    @Option(names = "--count", defaultValue = "3", description = "How many pings (default: ${DEFAULT-VALUE}).")
    int count;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Multiaddr target = Libp2pOptions.parse(address);
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("--count must be between 1 and 100, not " + count);
        }
        try (P2pClient client = new P2pClient(List.of())) {
            Connection connection = P2pClient.await(client.host.dial(target), "dial " + target);
            ObjectMapper json = new ObjectMapper();
            ArrayNode rtts = json.createArrayNode();
            for (int i = 0; i < count; i++) {
                Duration rtt = P2pClient.await(client.host.ping(connection), "ping");
                rtts.add(rtt.toNanos() / 1_000_000.0);
            }
            ObjectNode out = json.createObjectNode()
                    .put("peer_id", connection.remotePeer().toBase58())
                    .put("address", connection.remoteAddress().toString());
            out.set("rtt_ms", rtts);
            spec.commandLine().getOut().println(json.writeValueAsString(out));
        }
        return 0;
    }
}
