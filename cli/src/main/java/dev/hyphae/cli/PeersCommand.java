package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.store.StoredPeer;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hyphae peers}: the libp2p peers the node knows, from the peer store it keeps in its
 * database (a running node writes it as it learns; this reads it beside the node).
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "List the libp2p peers the node knows, most recently seen first, as JSON.")
final class PeersCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ArrayNode peers = json.createArrayNode();
        long now = System.currentTimeMillis();
        try (SqliteStore store = SqliteStore.openInDirectory(UserCommand.existingNode(dataDirectory))) {
            List<StoredPeer> all = store.read(tx -> tx.peers().all());
            for (StoredPeer peer : all.stream().sorted(Comparator.comparingLong(StoredPeer::lastSeenTs).reversed()).toList()) {
                ObjectNode entry = peers.addObject();
                entry.put("peer_id", peer.peerId());
                entry.put("last_seen", Instant.ofEpochMilli(peer.lastSeenTs()).toString());
                ArrayNode addresses = entry.putArray("addresses");
                peer.addresses().stream().filter(address -> address.expiresTs() > now)
                        .forEach(address -> addresses.add(address.multiaddr()));
                ArrayNode protocols = entry.putArray("protocols");
                peer.protocols().forEach(protocols::add);
                entry.put("signed_record", peer.signedPeerRecord().isPresent());
            }
        }
        spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(peers));
        return 0;
    }
}
