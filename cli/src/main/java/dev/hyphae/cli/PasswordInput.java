package dev.hyphae.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command reads a password: the first line of {@code --password-file}, else the first
 * line of standard input; never a command-line argument, which other users of the machine can see.
 */
final class PasswordInput {
    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the password.")
    Path passwordFile;

    /** The password; refused when empty. */
    String read() throws IOException {
        String password;
        if (passwordFile != null) {
            try (BufferedReader reader = Files.newBufferedReader(passwordFile, StandardCharsets.UTF_8)) {
                password = reader.readLine();
            }
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        return password;
    }
}
