package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Account;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.store.sqlite.SqliteStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hyphae id}: the node's identity as one JSON object, made at first use. */
@Command(name = "id", mixinStandardHelpOptions = true,
        description = "Print the node's server name, peer ID, signing key ID, libp2p listen addresses and an invite link as JSON.")
final class IdCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Mixin
    Libp2pOptions libp2p;

    @Option(names = "--user", paramLabel = "LOCALPART",
            description = "Add an invite link to this user of the node (default: the first active account, if any).")
    String user;

    @Option(names = "--qr", description = "Also draw the invite link as a QR code for a phone to scan.")
    boolean qr;

    @Spec
    CommandSpec spec;

    /** The user the invite link names: {@code --user}, else the node's first active account. */
    private Optional<String> linkedUser(NodeIdentity identity) {
        if (user != null) {
            String userId = user.startsWith("@") ? user : "@" + user + ":" + identity.serverName();
            if (!userId.endsWith(":" + identity.serverName())) {
                throw new IllegalArgumentException("not a user of this node: " + user);
            }
            return Optional.of(userId);
        }
        Path database = dataDirectory.resolve().resolve(SqliteStoreOptions.DATABASE_FILE_NAME);
        if (!Files.isRegularFile(database)) {
            return Optional.empty();
        }
        try (SqliteStore store = SqliteStore.openInDirectory(dataDirectory.resolve())) {
            return store.read(tx -> tx.accounts().all()).stream().filter(account -> !account.deactivated())
                    .map(Account::userId).findFirst();
        }
    }

    @Override
    public Integer call() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDirectory.resolve(), new SecureRandom());
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode()
                .put("server_name", identity.serverName())
                .put("peer_id", identity.peerId())
                .put("signing_key_id", identity.keyId());
        ArrayNode listenAddrs = out.putArray("listen_addrs");
        List<String> addresses = libp2p.listenAddrs().stream().map(a -> a + "/p2p/" + identity.peerId()).toList();
        addresses.forEach(listenAddrs::add);
        Optional<String> userId = linkedUser(identity);
        userId.ifPresent(id -> out.put("invite_link", new InviteLink(id, addresses).toString()));
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        if (qr) {
            if (userId.isEmpty()) {
                throw new IllegalArgumentException("no user to link to: add one with 'hyphae user add' or pass --user");
            }
            spec.commandLine().getOut().print(TerminalQrCode.draw(new InviteLink(userId.get(), addresses).toString()));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
