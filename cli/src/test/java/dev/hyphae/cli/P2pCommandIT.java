package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.kad.KadConfig;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class P2pCommandIT {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private int hyphae(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private JsonNode outputJson() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    private Libp2pHost host(List<Multiaddr> bootstrap) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
                HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), bootstrap), random,
                Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    private void assertOneLineError(int exitCode, String expected) {
        assertTrue(exitCode == 1 || exitCode == 2, "exit code " + exitCode);
        String text = err.toString();
        assertTrue(text.startsWith("hyphae: "), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains(expected), text);
        assertEquals("", out.toString());
    }

    @Test
    void pingPrintsThePeerIdAndThreeRoundTripTimes() throws Exception {
        Libp2pHost peer = host(List.of());

        assertEquals(0, hyphae("p2p", "ping", peer.addresses().get(0).toString()), err.toString());

        JsonNode json = outputJson();
        assertEquals(peer.peerId().toBase58(), json.get("peer_id").asText());
        assertEquals(3, json.get("rtt_ms").size(), json.toString());
        assertTrue(json.get("rtt_ms").get(0).asDouble() >= 0, json.toString());
    }

    @Test
    void pingWithoutAPeerIdInTheAddressStillNamesThePeer() throws Exception {
        Libp2pHost peer = host(List.of());

        assertEquals(0, hyphae("p2p", "ping", "--count", "1", peer.addresses().get(0).withoutPeerId().toString()),
                err.toString());

        assertEquals(peer.peerId().toBase58(), outputJson().get("peer_id").asText());
    }

    @Test
    void identifyPrintsWhatThePeerSaysAboutItself() throws Exception {
        Libp2pHost peer = host(List.of());

        assertEquals(0, hyphae("p2p", "identify", peer.addresses().get(0).toString()), err.toString());

        JsonNode json = outputJson();
        String listen = peer.addresses().get(0).withoutPeerId().toString();
        assertEquals(peer.peerId().toBase58(), json.get("peer_id").asText());
        assertEquals(listen, json.get("listen_addrs").get(0).asText());
        assertTrue(json.get("protocols").toString().contains(KadConfig.HYPHAE_PROTOCOL), json.toString());
        assertTrue(json.get("observed_addr").asText().startsWith("/ip4/127.0.0.1/tcp/"), json.toString());
        assertEquals(listen, json.get("signed_peer_record").get("addrs").get(0).asText());
    }

    @Test
    void findPeerPrintsTheAddressesFoundThroughTheBootstrapPeer() throws Exception {
        Libp2pHost bootstrap = host(List.of());
        Libp2pHost wanted = host(List.of(bootstrap.addresses().get(0)));
        wanted.bootstrapped().get(20, TimeUnit.SECONDS);

        assertEquals(0, hyphae("p2p", "find-peer", wanted.peerId().toBase58(),
                "--bootstrap", bootstrap.addresses().get(0).toString()), err.toString());

        JsonNode json = outputJson();
        assertEquals(wanted.peerId().toBase58(), json.get("peer_id").asText());
        assertTrue(json.get("addrs").toString().contains(wanted.addresses().get(0).withoutPeerId().toString()),
                json.toString());
    }

    @Test
    void aBadMultiaddrIsAOneLineError() {
        assertOneLineError(hyphae("p2p", "ping", "/ip4/300.1.2.3/tcp/4001"), "invalid multiaddr '/ip4/300.1.2.3/tcp/4001'");
    }

    @Test
    void anUnreachablePeerIsAOneLineError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertOneLineError(hyphae("p2p", "ping", "/ip4/127.0.0.1/tcp/" + closedPort), "dial /ip4/127.0.0.1/tcp/"
                + closedPort + " failed");
    }

    @Test
    void findPeerWithABadPeerIdIsAOneLineError() {
        assertOneLineError(hyphae("p2p", "find-peer", "not-a-peer-id", "--bootstrap", "/ip4/127.0.0.1/tcp/1"),
                "invalid peer ID 'not-a-peer-id'");
    }

    @Test
    void idPrintsTheDefaultListenAddressWithThePeerId() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString()), err.toString());

        JsonNode json = outputJson();
        assertEquals(Libp2pOptions.DEFAULT_LISTEN + "/p2p/" + json.get("peer_id").asText(),
                json.get("listen_addrs").get(0).asText());
    }

    @Test
    void idPrintsTheConfiguredListenAddresses() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString(), "--p2p-listen", "/ip4/0.0.0.0/tcp/4002",
                "--p2p-listen", "/ip6/::1/tcp/4003"), err.toString());

        JsonNode json = outputJson();
        String p2p = "/p2p/" + json.get("peer_id").asText();
        assertEquals("/ip4/0.0.0.0/tcp/4002" + p2p, json.get("listen_addrs").get(0).asText());
        assertEquals("/ip6/::1/tcp/4003" + p2p, json.get("listen_addrs").get(1).asText());
    }

    private static final Pattern P2P_LISTEN = Pattern.compile("p2p listen: +(/\\S+)");

    @Test
    void runListensForLibp2pWithTheNodesPeerIdAndAnswersPings() throws Exception {
        Libp2pHost bootstrap = host(List.of());
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread node = new Thread(() -> exitCode.set(hyphae("run", "--data-dir", dataDir.toString(),
                "--listen", "127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--no-tor", "--no-mdns",
                "--bootstrap", bootstrap.addresses().get(0).toString())), "hyphae-run-test");
        node.start();
        try {
            Matcher matcher = P2P_LISTEN.matcher("");
            for (int i = 0; i < 600 && node.isAlive() && !matcher.find(0); i++) {
                Thread.sleep(50);
                matcher = P2P_LISTEN.matcher(out.toString());
            }
            assertTrue(matcher.find(0), "no p2p listen address printed: " + out + err);
            String address = matcher.group(1);
            String banner = out.toString();
            StringWriter runOutput = new StringWriter();

            assertEquals(0, Hyphae.execute(new String[] {"p2p", "ping", "--count", "1", address},
                    new PrintWriter(runOutput, true), new PrintWriter(err, true)), err.toString());
            JsonNode json = new ObjectMapper().readTree(runOutput.toString());
            assertTrue(address.endsWith("/p2p/" + json.get("peer_id").asText()), address + " " + json);
            assertTrue(banner.contains("peer ID:        " + json.get("peer_id").asText()), banner);
        } finally {
            node.interrupt();
            node.join(30_000);
        }
        assertEquals(0, exitCode.get(), err.toString());
    }

    /** Runs {@code hyphae run} with {@code args} until {@code body} returns, then stops it. */
    private String runNode(List<String> args, java.util.function.Consumer<String> body) throws Exception {
        StringWriter runOut = new StringWriter();
        AtomicInteger exitCode = new AtomicInteger(-1);
        List<String> all = new ArrayList<>(List.of("run", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0",
                "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--no-tor"));
        all.addAll(args);
        Thread node = new Thread(() -> exitCode.set(Hyphae.execute(all.toArray(String[]::new),
                new PrintWriter(runOut, true), new PrintWriter(err, true))), "hyphae-run-test");
        node.start();
        try {
            for (int i = 0; i < 600 && node.isAlive() && !runOut.toString().contains("Homeserver URL"); i++) {
                Thread.sleep(50);
            }
            assertTrue(runOut.toString().contains("Homeserver URL"), "node did not start: " + runOut + err);
            body.accept(runOut.toString());
        } finally {
            node.interrupt();
            node.join(30_000);
        }
        assertEquals(0, exitCode.get(), err.toString());
        return runOut.toString();
    }

    @Test
    void runDiscoversPeersWithMdnsAndRemembersThemAcrossARestart() throws Exception {
        int mdnsPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
            mdnsPort = probe.getLocalPort();
        }
        dev.hyphae.transport.libp2p.mdns.MdnsConfig mdns = dev.hyphae.transport.libp2p.mdns.MdnsConfig.defaults(random)
                .withGroup(new java.net.InetSocketAddress("224.0.0.251", mdnsPort))
                .withQueryInterval(java.time.Duration.ofMillis(500));
        Libp2pHost peer = new Libp2pHost(PrivateKey.generate(random),
                HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of()).withMdns(mdns),
                random, Clock.systemUTC());
        hosts.add(peer);
        peer.start();

        String firstBanner = runNode(List.of("--mdns-port", String.valueOf(mdnsPort)), banner -> {
            assertTrue(banner.contains("(mDNS discovery on)"), banner);
            for (int i = 0; i < 400 && peer.connectionCount() == 0; i++) {
                sleep(50);
            }
            assertTrue(peer.connectionCount() > 0, "the node and the peer never met over mDNS");
            // the node identifies the peer once connected; give the write a moment to land
            sleep(1_000);
        });
        assertTrue(firstBanner.contains("peer ID:"), firstBanner);

        runNode(List.of("--no-mdns"), banner ->
                assertTrue(banner.contains("known peers:    1"), "the peer was forgotten: " + banner));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
