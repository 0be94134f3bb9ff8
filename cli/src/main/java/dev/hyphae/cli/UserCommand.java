package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Account;
import dev.hyphae.store.sqlite.SqliteStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyphae user}: accounts of the node's users, managed by the node's owner. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage the node's user accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class,
                UserCommand.Deactivate.class})
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The data directory of an existing node: commands that change accounts never make a new node. */
    static Path existingNode(DataDirectoryOption option) {
        Path dataDir = option.resolve();
        if (!Files.isRegularFile(dataDir.resolve(SqliteStoreOptions.DATABASE_FILE_NAME))) {
            throw new IllegalArgumentException("no node in " + dataDir + " (start one with 'hyphae run' or pass --data-dir)");
        }
        return dataDir;
    }

    /** {@code hyphae user add USERNAME}: creates an account with a password. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account; the password comes from --password-file or the first line of stdin.")
    static final class Add implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Mixin
        PasswordInput password;

        @Parameters(paramLabel = "USERNAME", description = "The localpart of the new user ID.")
        String username;

        @Option(names = "--admin", description = "Make the user an administrator of the node.")
        boolean admin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String secret = password.read();
            try (NodeAccounts accounts = new NodeAccounts(dataDirectory.resolve())) {
                UserId userId = accounts.service().createAccount(username, secret, admin);
                spec.commandLine().getOut().println(userId);
            }
            return 0;
        }
    }

    /** {@code hyphae user list}: every account as JSON, deactivated ones included. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts as JSON.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ObjectMapper json = new ObjectMapper();
            ArrayNode users = json.createArrayNode();
            try (NodeAccounts accounts = new NodeAccounts(existingNode(dataDirectory))) {
                for (Account account : accounts.all()) {
                    ObjectNode user = users.addObject();
                    user.put("user_id", account.userId());
                    user.put("admin", account.admin());
                    user.put("deactivated", account.deactivated());
                    user.put("created_ts", account.createdTs());
                }
            }
            spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(users));
            return 0;
        }
    }

    /** {@code hyphae user passwd USER}: sets a new password and logs the user's devices out. */
    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's password (from --password-file or stdin); logs out all their devices.")
    static final class Passwd implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Mixin
        PasswordInput password;

        @Parameters(paramLabel = "USER", description = "A user ID or localpart of this node.")
        String user;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String secret = password.read();
            try (NodeAccounts accounts = new NodeAccounts(existingNode(dataDirectory))) {
                UserId userId = active(accounts, user);
                accounts.service().changePassword(userId, secret, true, null);
                spec.commandLine().getOut().println(userId);
            }
            return 0;
        }
    }

    /** {@code hyphae user deactivate USER}: the account can no longer log in; its ID stays taken. */
    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Deactivate an account: no password, no devices; the user ID is never reused.")
    static final class Deactivate implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Parameters(paramLabel = "USER", description = "A user ID or localpart of this node.")
        String user;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (NodeAccounts accounts = new NodeAccounts(existingNode(dataDirectory))) {
                UserId userId = active(accounts, user);
                accounts.service().deactivate(userId);
                spec.commandLine().getOut().println(userId);
            }
            return 0;
        }
    }

    private static UserId active(NodeAccounts accounts, String user) {
        UserId userId;
        try {
            userId = accounts.service().localUser(user);
        } catch (MatrixException e) {
            throw new IllegalArgumentException("not a user ID of this node: " + user);
        }
        Account account = accounts.service().account(userId)
                .orElseThrow(() -> new IllegalArgumentException("no account " + userId));
        if (account.deactivated()) {
            throw new IllegalArgumentException(userId + " is deactivated");
        }
        return userId;
    }
}
