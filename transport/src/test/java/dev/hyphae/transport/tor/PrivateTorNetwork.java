package dev.hyphae.transport.tor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tor network of its own on loopback, for tests (the approach of Tor's chutney): three directory
 * authorities that are also relays and two more relays, keys made with {@code tor-gencert} and
 * {@code tor --list-fingerprint}, voting every 20 s. Relays exit nowhere: onion services need no
 * exits. A node's tor joins it with {@link #clientTorrcLines()}.
 *
 * <p>Start one per test class; it takes about a minute until a client is bootstrapped and every
 * relay is an HSDir. Everything stops on {@link #close()}, on JVM exit, and by itself if the JVM
 * is killed ({@code __OwningControllerProcess}).
 */
public final class PrivateTorNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateTorNetwork.class);
    public static final int AUTHORITIES = 3;
    public static final int RELAYS = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(4);

    private final Path directory;
    private final List<String> dirAuthorityLines;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook;
    private final Object lock = new Object();
    private boolean closed;

    private PrivateTorNetwork(Path directory, List<String> dirAuthorityLines) {
        this.directory = directory;
        this.dirAuthorityLines = List.copyOf(dirAuthorityLines);
        this.shutdownHook = new Thread(this::destroyAll, "private-tor-network-shutdown");
    }

    /** Starts the network in a fresh folder under /tmp and waits until onion services can work on it. */
    public static PrivateTorNetwork start() {
        return start(DEFAULT_TIMEOUT);
    }

    public static PrivateTorNetwork start(Duration timeout) {
        long began = System.nanoTime();
        Path tor = TorBinary.require("tor");
        Path gencert = TorBinary.require("tor-gencert");
        Path directory;
        try {
            directory = Files.createTempDirectory(Path.of("/tmp"), "hyphae-tornet-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < AUTHORITIES + RELAYS; i++) {
            boolean authority = i < AUTHORITIES;
            nodes.add(new Node(authority ? "auth" + i : "relay" + (i - AUTHORITIES), authority,
                directory.resolve(authority ? "auth" + i : "relay" + (i - AUTHORITIES))));
        }
        assignPorts(nodes);
        writeEmptyGeoIpFiles(directory);
        // RSA key generation is slow on a busy machine: all nodes at once
        List<CompletableFuture<Void>> keys = nodes.stream()
            .map(node -> CompletableFuture.runAsync(() -> makeKeys(tor, gencert, node, directory)))
            .toList();
        try {
            CompletableFuture.allOf(keys.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        long keysMade = System.nanoTime();
        List<String> dirAuthorities = new ArrayList<>();
        for (Node node : nodes) {
            if (node.authority) {
                dirAuthorities.add("DirAuthority " + node.name + " orport=" + node.orPort + " no-v2 v3ident=" + node.v3Identity
                    + " 127.0.0.1:" + node.dirPort + " " + node.fingerprint);
            }
        }
        PrivateTorNetwork network = new PrivateTorNetwork(directory, dirAuthorities);
        Runtime.getRuntime().addShutdownHook(network.shutdownHook);
        try {
            for (Node node : nodes) {
                network.launch(tor, node);
            }
            network.awaitReady(timeout.minusNanos(System.nanoTime() - began));
            LOG.info("private tor network up in {} ms (keys {} ms) at {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                TimeUnit.NANOSECONDS.toMillis(keysMade - began), directory);
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The torrc lines a client or onion-service host needs to join this network. */
    public List<String> clientTorrcLines() {
        List<String> lines = new ArrayList<>();
        lines.add("TestingTorNetwork 1");
        lines.addAll(dirAuthorityLines);
        lines.add("AssumeReachable 1");
        lines.add("ClientUseIPv6 0");
        lines.add("PathsNeededToBuildCircuits 0.67");
        lines.addAll(noGeoIp(directory));
        return lines;
    }

    public Path directory() {
        return directory;
    }

    /** Stops every tor of the network and deletes its folder. */
    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting; the hook runs anyway
        }
        deleteTree(directory);
    }

    private void destroyAll() {
        List<Process> running;
        synchronized (lock) {
            closed = true;
            running = new ArrayList<>(processes);
        }
        running.forEach(Process::destroy);
        for (Process process : running) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until a client of the network has bootstrapped and sees every relay with the HSDir flag. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        TorConfig probeConfig = TorConfig.defaults(directory.resolve("probe")).withExtraTorrcLines(clientTorrcLines());
        try (TorProcess probe = TorProcess.start(probeConfig, status -> LOG.debug("probe: {}", status))) {
            probe.awaitBootstrapped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            while (true) {
                checkAlive();
                int hsDirs = countHsDirs(probe.session().control.getInfo("ns/all"));
                if (hsDirs >= AUTHORITIES + RELAYS) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new TorException("only " + hsDirs + " of " + (AUTHORITIES + RELAYS)
                        + " relays are HSDirs after " + timeout.toSeconds() + " s");
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorException("interrupted while the private tor network started", e);
        } catch (TorException e) {
            throw new TorException("the private tor network in " + directory + " did not come up: " + e.getMessage()
                + "\nauth0's log:\n" + tail(directory.resolve("auth0").resolve("notice.log")), e);
        }
    }

    /** Relays in a network status document ({@code s} lines list the flags). */
    static int countHsDirs(String networkStatus) {
        int count = 0;
        for (String line : networkStatus.split("\n")) {
            if (line.startsWith("s ") && List.of(line.split(" ")).contains("HSDir")) {
                count++;
            }
        }
        return count;
    }

    private void checkAlive() {
        synchronized (lock) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new TorException("a tor of the network exited with status " + process.exitValue());
                }
            }
        }
    }

    private void launch(Path tor, Node node) {
        Path torrc = node.directory.resolve("torrc");
        Path empty = node.directory.resolve("torrc-defaults");
        try {
            Files.writeString(torrc, torrc(node));
            Files.writeString(empty, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(tor.toString(), "-f", torrc.toString(), "--defaults-torrc", empty.toString())
            .redirectErrorStream(true)
            .redirectOutput(node.directory.resolve("stdout.log").toFile());
        synchronized (lock) {
            if (closed) {
                throw new TorException("the private tor network was closed while starting");
            }
            try {
                processes.add(builder.start());
            } catch (IOException e) {
                throw new TorException("cannot start " + tor + " for " + node.name + ": " + e.getMessage(), e);
            }
        }
    }

    private String torrc(Node node) {
        List<String> lines = new ArrayList<>();
        lines.add("TestingTorNetwork 1");
        lines.addAll(dirAuthorityLines);
        lines.add("DataDirectory " + node.directory);
        lines.add("Nickname " + node.name);
        lines.add("RunAsDaemon 0");
        lines.add("__OwningControllerProcess " + ProcessHandle.current().pid());
        lines.add("Log notice file " + node.directory.resolve("notice.log"));
        lines.add("SafeLogging 0");
        lines.add("ShutdownWaitLength 0");
        lines.add("ContactInfo hyphae-test@localhost");
        lines.addAll(noGeoIp(directory));
        lines.add("SocksPort 0");
        lines.add("Address 127.0.0.1");
        lines.add("ORPort 127.0.0.1:" + node.orPort);
        lines.add("AssumeReachable 1");
        lines.add("ClientUseIPv6 0");
        lines.add("ExitPolicy reject *:*");
        if (node.authority) {
            lines.add("DirPort 127.0.0.1:" + node.dirPort);
            lines.add("AuthoritativeDirectory 1");
            lines.add("V3AuthoritativeDirectory 1");
            lines.add("TestingV3AuthInitialVotingInterval 20");
            lines.add("V3AuthVotingInterval 20");
            lines.add("TestingV3AuthInitialVoteDelay 4");
            lines.add("TestingV3AuthInitialDistDelay 4");
            lines.add("V3AuthVoteDelay 4");
            lines.add("V3AuthDistDelay 4");
            // a consensus lives for 6 voting intervals: a starved machine may miss several votes,
            // and clients without a live consensus find no relays for their paths
            lines.add("V3AuthNIntervalsValid 6");
            // every relay is on loopback: a reachability test that a starved relay fails only takes
            // its Running flag away, leaving clients too few relays to build circuits
            lines.add("AuthDirTestReachability 0");
            lines.add("TestingDirAuthVoteExit *");
            lines.add("TestingDirAuthVoteHSDir *");
            lines.add("TestingDirAuthVoteGuard *");
            lines.add("TestingMinExitFlagThreshold 0");
        }
        return String.join("\n", lines) + "\n";
    }

    /** Country data is of no use on loopback, and parsing tor's GeoIP files costs each tor seconds of CPU. */
    private static List<String> noGeoIp(Path directory) {
        return List.of("GeoIPFile " + directory.resolve("geoip"), "GeoIPv6File " + directory.resolve("geoip6"));
    }

    private static void writeEmptyGeoIpFiles(Path directory) {
        try {
            Files.writeString(directory.resolve("geoip"), "");
            Files.writeString(directory.resolve("geoip6"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An authority's v3 keys from tor-gencert, and every relay's identity fingerprint from tor. */
    private static void makeKeys(Path tor, Path gencert, Node node, Path networkDirectory) {
        try {
            Files.createDirectories(node.directory);
            Files.setPosixFilePermissions(node.directory, PosixFilePermissions.fromString("rwx------"));
            Path keys = node.directory.resolve("keys");
            Files.createDirectories(keys);
            if (node.authority) {
                run(List.of(gencert.toString(), "--create-identity-key", "--passphrase-fd", "0",
                    "-i", keys.resolve("authority_identity_key").toString(),
                    "-s", keys.resolve("authority_signing_key").toString(),
                    "-c", keys.resolve("authority_certificate").toString(),
                    "-m", "12", "-a", "127.0.0.1:" + node.dirPort), "\n", node.directory);
                node.v3Identity = Files.readAllLines(keys.resolve("authority_certificate")).stream()
                    .filter(line -> line.startsWith("fingerprint "))
                    .map(line -> line.substring("fingerprint ".length()).strip())
                    .findFirst().orElseThrow(() -> new TorException("tor-gencert wrote no fingerprint for " + node.name));
            }
            Path empty = node.directory.resolve("torrc-defaults");
            Files.writeString(empty, "");
            run(List.of(tor.toString(), "--list-fingerprint", "--defaults-torrc", empty.toString(), "-f", empty.toString(),
                "--DataDirectory", node.directory.toString(), "--ORPort", "127.0.0.1:" + node.orPort,
                "--Nickname", node.name, "--GeoIPFile", networkDirectory.resolve("geoip").toString(),
                "--GeoIPv6File", networkDirectory.resolve("geoip6").toString()), "", node.directory);
            String fingerprintLine = Files.readString(node.directory.resolve("fingerprint")).strip();
            node.fingerprint = fingerprintLine.split("\\s+")[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command, String input, Path directory) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TorException(command.get(0) + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new TorException(String.join(" ", command) + " failed with status " + process.exitValue() + ":\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorException("interrupted while running " + command.get(0), e);
        }
    }

    /** Free loopback ports, all distinct; held open together so none is handed out twice. */
    private static void assignPorts(List<Node> nodes) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            Set<Integer> ports = new HashSet<>();
            while (ports.size() < nodes.size() * 2) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            List<Integer> list = new ArrayList<>(ports);
            for (int i = 0; i < nodes.size(); i++) {
                nodes.get(i).orPort = list.get(2 * i);
                nodes.get(i).dirPort = list.get(2 * i + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only held to reserve the number
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a file tor still writes to at exit; the folder is under /tmp
                }
            });
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", root, e.getMessage());
        }
    }

    private static final class Node {
        final String name;
        final boolean authority;
        final Path directory;
        int orPort;
        int dirPort;
        String v3Identity;
        String fingerprint;

        Node(String name, boolean authority, Path directory) {
            this.name = name;
            this.authority = authority;
            this.directory = directory;
        }
    }
}
