package dev.hyphae.transport.libp2p.kad;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A js-libp2p peer with {@code @libp2p/kad-dht} as a DHT server (src/test/js/kad-peer.mjs), run with
 * Node: installs the npm packages with {@code npm ci} when kad-dht is missing, starts the peer and
 * speaks its line protocol.
 */
final class JsKadPeer implements AutoCloseable {

    static final Path PROJECT = Path.of("src", "test", "js");

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String listenAddress;

    private JsKadPeer(Process process) throws InterruptedException {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
            }
        }, "js-kad-stdout");
        reader.setDaemon(true);
        reader.start();
        this.listenAddress = expect("LISTEN ").substring("LISTEN ".length());
    }

    static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static JsKadPeer start(String protocolId) throws IOException, InterruptedException {
        if (!Files.isDirectory(PROJECT.resolve("node_modules").resolve("@libp2p").resolve("kad-dht"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(PROJECT.toFile()).inheritIO().start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + PROJECT.toAbsolutePath());
            }
        }
        Process node = new ProcessBuilder("node", "kad-peer.mjs", protocolId)
            .directory(PROJECT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        return new JsKadPeer(node);
    }

    /** The listen address, ending in {@code /p2p/<id>}. */
    String listenAddress() {
        return listenAddress;
    }

    String peerId() {
        return listenAddress.substring(listenAddress.lastIndexOf('/') + 1);
    }

    /** Sends a command and returns the first line answering it ({@code <prefix>} or {@code <command>-ERR}). */
    String command(String command, String answerPrefix, long timeoutSeconds) throws IOException, InterruptedException {
        stdin.write(command + "\n");
        stdin.flush();
        String errPrefix = command.split(" ")[0] + "-ERR";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("js peer did not answer " + command);
            }
            if (line.startsWith(answerPrefix) || line.startsWith(errPrefix)) {
                return line;
            }
        }
    }

    private String expect(String prefix) throws InterruptedException {
        String line = lines.poll(60, TimeUnit.SECONDS);
        while (line != null && !line.startsWith(prefix)) {
            line = lines.poll(60, TimeUnit.SECONDS);
        }
        if (line == null) {
            throw new IllegalStateException("js peer did not print " + prefix);
        }
        return line;
    }

    @Override
    public void close() throws Exception {
        stdin.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
