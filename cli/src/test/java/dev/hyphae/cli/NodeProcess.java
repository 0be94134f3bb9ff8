package dev.hyphae.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code hyphae run} in its own JVM, as a user starts it: a separate OS process with its own data
 * directory and fixed loopback ports (kept across restarts, so peers find it again at the same
 * address). Its output goes to {@code node.log} beside the data directory.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("Homeserver URL: (http://\\S+)");
    private static final Pattern SERVER_NAME = Pattern.compile("server name: +(\\S+)");
    private static final Pattern PEER_ID = Pattern.compile("peer ID: +(\\S+)");

    private final Path dataDir;
    private final Path log;
    private final int clientPort;
    private final int p2pPort;
    private final List<String> extraArgs;
    private final List<String> launcher;
    private Process process;
    private URI url;
    private String serverName;
    private String peerId;

    NodeProcess(Path dataDir, List<String> extraArgs) throws IOException {
        this(dataDir, List.of(javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Hyphae.class.getName()), extraArgs);
    }

    /**
     * As {@link #NodeProcess(Path, List)}, started with {@code launcher}: the command line up to the
     * {@code hyphae} arguments (the JVM, its options and the jar or main class).
     */
    NodeProcess(Path dataDir, List<String> launcher, List<String> extraArgs) throws IOException {
        this.launcher = List.copyOf(launcher);
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.clientPort = freePort();
        this.p2pPort = freePort();
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts the node and waits until it prints its homeserver URL. */
    NodeProcess start() throws IOException, InterruptedException {
        return start(Duration.ofSeconds(120));
    }

    /** As {@link #start()}, waiting at most {@code limit} (tor may bootstrap slowly on a busy machine). */
    NodeProcess start(Duration limit) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("run", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + clientPort,
                "--p2p-listen", "/ip4/127.0.0.1/tcp/" + p2pPort, "--open-registration", "--no-mdns"));
        if (!extraArgs.contains("--tor")) {
            // No Tor network to bootstrap from unless the test brings its own.
            command.add("--no-tor");
        }
        command.addAll(extraArgs);
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> copyOutput(ready, seen), "node-output-" + dataDir.getFileName());
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("node did not start: " + seen, e);
        }
        return this;
    }

    private void copyOutput(CompletableFuture<Void> ready, StringBuilder seen) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                synchronized (seen) {
                    seen.append(line).append('\n');
                }
                match(SERVER_NAME, line).ifPresent(name -> serverName = name);
                match(PEER_ID, line).ifPresent(id -> peerId = id);
                Matcher url = URL.matcher(line);
                if (url.find()) {
                    this.url = URI.create(url.group(1));
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("node exited"));
    }

    private static Optional<String> match(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Everything the node printed so far. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The node's operating-system process ID. */
    long pid() {
        return process.pid();
    }

    URI url() {
        return url;
    }

    String serverName() {
        return serverName;
    }

    /** The node's libp2p address with its peer ID, for other nodes' {@code --bootstrap}. */
    String p2pAddress() {
        return "/ip4/127.0.0.1/tcp/" + p2pPort + "/p2p/" + peerId;
    }

    /** The node's process, for measuring it (CPU time, profiling); throws when not started. */
    ProcessHandle processHandle() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.toHandle();
    }

    /** Kills the node as a power cut would: SIGKILL, no shutdown hooks. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the node as Ctrl-C would: SIGTERM, shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(30));
    }

    /** As {@link #close()}, letting the node take up to {@code limit} to stop before it is killed. */
    void close(Duration limit) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
