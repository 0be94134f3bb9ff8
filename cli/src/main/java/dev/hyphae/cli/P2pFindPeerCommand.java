package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.transport.libp2p.kad.KadPeer;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyphae p2p find-peer PEER_ID --bootstrap MULTIADDR}: the peer's addresses from the DHT, as JSON. */
@Command(name = "find-peer", mixinStandardHelpOptions = true,
        description = "Find a peer's addresses in the DHT and print them as JSON.")
final class P2pFindPeerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PEER_ID", description = "The peer ID to look for (12D3KooW…).")
    String peer;

    @Option(names = "--bootstrap", paramLabel = "MULTIADDR", required = true,
            description = "A DHT peer to start from, /ip4/…/tcp/…/p2p/<peer ID>; may be repeated.")
    List<String> bootstrap = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PeerId target;
        try {
            target = PeerId.parse(peer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid peer ID '" + peer + "': " + e.getMessage(), e);
        }
        List<Multiaddr> bootstrapPeers = bootstrap.stream().map(Libp2pOptions::parse).toList();
        try (P2pClient client = new P2pClient(bootstrapPeers)) {
            int known = P2pClient.await(client.host.bootstrapped(), "bootstrap");
            if (known == 0) {
                throw new IllegalStateException("bootstrap failed: no bootstrap peer answered");
            }
            Optional<KadPeer> found = P2pClient.await(client.host.findPeer(target), "find-peer");
            KadPeer result = found.orElseThrow(() -> new IllegalStateException("peer " + peer + " not found"));
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode().put("peer_id", result.id().toBase58());
            ArrayNode addrs = out.putArray("addrs");
            result.addrs().forEach(a -> addrs.add(a.toString()));
            spec.commandLine().getOut().println(json.writeValueAsString(out));
        }
        return 0;
    }
}
