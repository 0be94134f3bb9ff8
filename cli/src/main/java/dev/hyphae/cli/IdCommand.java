package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identity.NodeIdentity;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyphae id}: the node's identity as one JSON object, made at first use. */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Print the node's server name, peer ID, signing key ID and libp2p listen addresses as JSON.")
final class IdCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Mixin
    Libp2pOptions libp2p;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDirectory.resolve(), new SecureRandom());
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode()
                .put("server_name", identity.serverName())
                .put("peer_id", identity.peerId())
                .put("signing_key_id", identity.keyId());
        ArrayNode listenAddrs = out.putArray("listen_addrs");
        libp2p.listenAddrs().forEach(a -> listenAddrs.add(a + "/p2p/" + identity.peerId()));
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        return 0;
    }
}
