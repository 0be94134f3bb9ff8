package dev.hyphae.cli;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hyphae run}: prepares the node's data directory (identity key, SQLite store with its
 * schema) and prints the node's identity. Serving the client-server API and federation is not
 * built yet, so the command exits after preparing.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a node (for now: create or open its identity and database, print them, exit).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dataDir = dataDirectory.resolve();
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
        int schemaVersion;
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            schemaVersion = store.schemaVersion();
        }
        var out = spec.commandLine().getOut();
        out.println("Hyphae node");
        out.println("  data directory: " + dataDir.toAbsolutePath());
        out.println("  server name:    " + identity.serverName());
        out.println("  peer ID:        " + identity.peerId());
        out.println("  signing key:    " + identity.keyId());
        out.println("  database:       schema version " + schemaVersion);
        out.println("The client-server API and federation are not served yet; the node exits here.");
        return 0;
    }
}
