package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hole punching through two NATs: two Java nodes, each in a private network behind its own
 * MASQUERADE NAT that drops unsolicited inbound connections ({@link NatNamespaces}), reach each
 * other through a relay on the public network between them, and DCUtR turns the relayed
 * connection into a direct TCP connection between the NATs' public addresses. Each node runs in
 * its own JVM inside its namespace. Needs root (or CAP_SYS_ADMIN), {@code ip} and
 * {@code iptables}; skips itself with the reason when they are missing.
 */
class NatHolePunchIT {

    private static final int PORT = 4001;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private NatNamespaces net;

    @BeforeAll
    static void needsNamespacesAndNat() {
        Optional<String> why = NatNamespaces.unavailable();
        assumeTrue(why.isEmpty(), () -> "no NAT test: " + why.orElse(""));
    }

    @AfterEach
    void cleanUp() {
        for (NodeProcess node : nodes) {
            node.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void twoNodesBehindNatsMeetThroughTheRelayAndPunchADirectConnection() throws Exception {
        net = NatNamespaces.create();
        NodeProcess relay = start(net.publicNs, "relay", "/ip4/" + NatNamespaces.RELAY_IP + "/tcp/" + PORT);
        String relayAddr = relay.expect("LISTEN ").substring("LISTEN ".length());
        NodeProcess b = start(net.b, "peer", "/ip4/" + NatNamespaces.B_IP + "/tcp/" + PORT, relayAddr);
        String circuitB = b.expect("CIRCUIT ").substring("CIRCUIT ".length());
        NodeProcess a = start(net.a, "peer", "/ip4/" + NatNamespaces.A_IP + "/tcp/" + PORT, relayAddr);
        String circuitA = a.expect("CIRCUIT ").substring("CIRCUIT ".length());
        String peerA = circuitA.substring(circuitA.lastIndexOf('/') + 1);
        String peerB = circuitB.substring(circuitB.lastIndexOf('/') + 1);

        a.send("DIAL " + circuitB);
        String dialled = a.expect("CONNECTED ", "DIAL-ERR ");
        assertTrue(dialled.contains("/p2p-circuit"), "a's first connection to b goes through the relay: " + dialled);

        a.send("AWAIT-DIRECT " + peerB);
        assertEquals("DIRECT /ip4/" + NatNamespaces.NAT_B_IP + "/tcp/" + PORT, a.expect("DIRECT ", "NO-DIRECT "),
            "a reaches b's NAT mapping of b's listen port");
        b.send("AWAIT-DIRECT " + peerA);
        assertEquals("DIRECT /ip4/" + NatNamespaces.NAT_A_IP + "/tcp/" + PORT, b.expect("DIRECT ", "NO-DIRECT "),
            "b reaches a's NAT mapping of a's listen port");
        a.send("ECHO " + peerB + " through-both-nats");
        assertEquals("ECHO-OK /ip4/" + NatNamespaces.NAT_B_IP + "/tcp/" + PORT + " through-both-nats",
            a.expect("ECHO-OK ", "ECHO-ERR "), "new streams take the direct connection");
    }

    private NodeProcess start(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(NatNamespaces.inside(ns));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NatTestNode.class.getName());
        command.addAll(List.of(args));
        NodeProcess node = new NodeProcess(ns, command);
        nodes.add(node);
        return node;
    }

    /** A {@link NatTestNode} JVM: its stdout lines, its stdin, its log in a file shown when a line is missing. */
    private static final class NodeProcess implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;
        private final Writer stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        NodeProcess(String name, List<String> command) throws IOException {
            this.name = name;
            this.log = Files.createTempFile("nat-node-" + name, ".log");
            this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "nat-node-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** The next line starting with one of {@code prefixes}, within 60 s; fails with the node's log otherwise. */
        String expect(String... prefixes) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < end) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!process.isAlive() && lines.isEmpty()) {
                        break;
                    }
                    continue;
                }
                for (String p : prefixes) {
                    if (line.startsWith(p)) {
                        return line;
                    }
                }
                seen.add(line);
            }
            throw new AssertionError("node in " + name + " printed no " + List.of(prefixes) + "; it printed " + seen
                + "; its log:\n" + tail(log));
        }

        private static String tail(Path log) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
