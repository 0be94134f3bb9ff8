package dev.hyphae.cli;

import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Account;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * The accounts of the node whose data directory the owner names, opened for one command: the
 * store and an {@link AccountService} over it, closed with the command.
 */
final class NodeAccounts implements AutoCloseable {
    private final SqliteStore store;
    private final AccountService accounts;

    NodeAccounts(Path dataDir) {
        SecureRandom random = new SecureRandom();
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, random);
        this.store = SqliteStore.openInDirectory(dataDir);
        this.accounts = new AccountService(store, ServerName.parse(identity.serverName()),
                new PasswordHasher(Argon2Settings.recommended(), random), AccountSettings.defaults(), random,
                Clock.systemUTC());
    }

    AccountService service() {
        return accounts;
    }

    List<Account> all() {
        return store.read(tx -> tx.accounts().all());
    }

    @Override
    public void close() {
        store.close();
    }
}
