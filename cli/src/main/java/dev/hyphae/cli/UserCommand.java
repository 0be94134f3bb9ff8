package dev.hyphae.cli;

import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyphae user}: accounts of the node's users, managed by the node's owner. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the node's user accounts.",
        subcommands = UserCommand.Add.class)
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hyphae user add USERNAME}: creates an account with a password. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account; the password comes from --password-file or the first line of stdin.")
    static final class Add implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Parameters(paramLabel = "USERNAME", description = "The localpart of the new user ID.")
        String username;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "A file whose first line is the password.")
        Path passwordFile;

        @Option(names = "--admin", description = "Make the user an administrator of the node.")
        boolean admin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String password = readPassword();
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the password is empty");
            }
            Path dataDir = dataDirectory.resolve();
            NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
            try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
                SecureRandom random = new SecureRandom();
                AccountService accounts = new AccountService(store, ServerName.parse(identity.serverName()),
                        new PasswordHasher(Argon2Settings.recommended(), random), AccountSettings.defaults(), random,
                        Clock.systemUTC());
                UserId userId = accounts.createAccount(username, password, admin);
                spec.commandLine().getOut().println(userId);
            }
            return 0;
        }

        private String readPassword() throws IOException {
            BufferedReader reader = passwordFile != null
                    ? Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try {
                String line = reader.readLine();
                return line == null ? "" : line;
            } finally {
                if (passwordFile != null) {
                    reader.close();
                }
            }
        }
    }
}
