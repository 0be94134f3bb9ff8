package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyphae p2p identify MULTIADDR}: what the peer says about itself in identify, as JSON. */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = "Run identify against a libp2p peer and print its answer as JSON.")
final class P2pIdentifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MULTIADDR", description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…")
    String address;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Multiaddr target = Libp2pOptions.parse(address);
        try (P2pClient client = new P2pClient(List.of())) {
            Connection connection = P2pClient.await(client.host.dial(target), "dial " + target);
            IdentifyMessage message = P2pClient.await(client.host.identify(connection), "identify");
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(toJson(connection, message)));
        }
        return 0;
    }

    static ObjectNode toJson(Connection connection, IdentifyMessage message) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode().put("peer_id", connection.remotePeer().toBase58());
        message.protocolVersion().ifPresent(v -> out.put("protocol_version", v));
        message.agentVersion().ifPresent(v -> out.put("agent_version", v));
        ArrayNode listenAddrs = out.putArray("listen_addrs");
        message.listenAddrs().forEach(a -> listenAddrs.add(a.toString()));
        ArrayNode protocols = out.putArray("protocols");
        message.protocols().forEach(protocols::add);
        message.observedAddr().ifPresent(a -> out.put("observed_addr", a.toString()));
        message.signedPeerRecord().ifPresent(r -> {
            ObjectNode record = out.putObject("signed_peer_record").put("seq", r.seq());
            ArrayNode addrs = record.putArray("addrs");
            r.addresses().forEach(a -> addrs.add(a.toString()));
        });
        return out;
    }
}
