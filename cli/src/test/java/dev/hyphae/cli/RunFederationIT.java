package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.FederationStack;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyphae run} serves federation over libp2p: another node reaches it by server name. */
class RunFederationIT {
    private static final Pattern P2P_LISTEN = Pattern.compile("p2p listen: +(/\\S+)");
    private static final Pattern SERVER_NAME = Pattern.compile("server name: +(\\S+)");

    @TempDir
    Path dataDir;

    @Test
    void runningNodeAnswersFederationRequestsAddressedByServerNameOverLibp2p() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread node = new Thread(() -> exitCode.set(Hyphae.execute(new String[] {"run", "--data-dir",
                dataDir.toString(), "--listen", "127.0.0.1:0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--no-tor", "--no-mdns"},
                new PrintWriter(out, true), new PrintWriter(err, true))), "hyphae-run-test");
        node.start();
        SecureRandom random = new SecureRandom();
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        NodeIdentity caller = NodeIdentity.fromSeed(seed);
        Libp2pHost host = new Libp2pHost(PrivateKey.fromSeed(caller.seed()),
                HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of()), random,
                Clock.systemUTC());
        try (host; FederationStack federation = new FederationStack(caller, host, new OnionServerKeys(), List.of(),
                FederationSettings.defaults(), "test", Clock.systemUTC())) {
            host.start();
            Matcher listen = P2P_LISTEN.matcher("");
            for (int i = 0; i < 600 && node.isAlive() && !listen.find(0); i++) {
                Thread.sleep(50);
                listen = P2P_LISTEN.matcher(out.toString());
            }
            assertTrue(listen.find(0), "no p2p listen address printed: " + out + err);
            Matcher name = SERVER_NAME.matcher(out.toString());
            assertTrue(name.find(), out.toString());
            String serverName = name.group(1);
            // The caller is told the address once, as a peer store or the DHT would.
            host.dial(Multiaddr.parse(listen.group(1))).get(20, TimeUnit.SECONDS);

            JsonNode version = federation.client().request(
                    FederationRequest.get(serverName, "/_matrix/federation/v1/version")).get(30, TimeUnit.SECONDS);
            JsonNode keys = federation.client().request(
                    FederationRequest.get(serverName, "/_matrix/key/v2/server")).get(30, TimeUnit.SECONDS);

            assertEquals("Hyphae", version.get("server").get("name").asText());
            assertEquals(serverName, keys.get("server_name").asText());
        } finally {
            node.interrupt();
            node.join(30_000);
        }
        assertEquals(0, exitCode.get(), err.toString());
    }
}
