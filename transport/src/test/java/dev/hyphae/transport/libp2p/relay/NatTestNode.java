package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A libp2p node in its own JVM, for tests that run it inside a network namespace
 * ({@code ip netns exec ns java -cp … NatTestNode …}). Usage:
 * <pre>
 *   NatTestNode relay &lt;listen multiaddr&gt;           a relay; prints LISTEN &lt;address&gt;/p2p/&lt;id&gt;
 *   NatTestNode peer &lt;listen multiaddr&gt; &lt;relay&gt;   reserves on the relay; prints CIRCUIT &lt;circuit address&gt;
 * </pre>
 * then obeys one command per line on stdin:
 * <pre>
 *   DIAL &lt;multiaddr&gt;        -> CONNECTED &lt;remote address&gt; | DIAL-ERR &lt;message&gt;
 *   AWAIT-DIRECT &lt;peer id&gt;  -> DIRECT &lt;remote address&gt; | NO-DIRECT &lt;what there is&gt;   (waits up to 30 s)
 *   ECHO &lt;peer id&gt; &lt;text&gt;  -> ECHO-OK &lt;remote address&gt; &lt;text&gt; | ECHO-ERR &lt;message&gt;   (on connection(peer))
 * </pre>
 * and exits at the end of stdin.
 */
public final class NatTestNode {

    private NatTestNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("relay") || args[0].equals("peer") && args.length == 3)) {
            System.err.println("usage: NatTestNode relay <listen> | peer <listen> <relay>");
            System.exit(2);
        }
        SecureRandom random = new SecureRandom();
        HostConfig config = HostConfig.defaults(List.of(Multiaddr.parse(args[1])), List.of());
        config = args[0].equals("relay")
            ? config.withRelayService(RelayLimits.defaults())
            : config.withRelays(List.of(Multiaddr.parse(args[2])));
        try (Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC())) {
            host.registerProtocol(Echo.ID, Echo.server());
            List<Multiaddr> addrs = host.start();
            if (args[0].equals("relay")) {
                System.out.println("LISTEN " + addrs.get(0));
            } else {
                System.out.println("CIRCUIT " + awaitCircuit(host));
            }
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                System.out.println(obey(host, line.trim().split(" ", 3)));
                System.out.flush();
            }
        }
    }

    private static Multiaddr awaitCircuit(Libp2pHost host) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Optional<Multiaddr> circuit = host.addresses().stream().filter(RelayProtocol::isCircuit).findFirst();
            if (circuit.isPresent()) {
                return circuit.get();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no reservation on the relay within 30 s");
    }

    private static String obey(Libp2pHost host, String[] command) {
        try {
            switch (command[0]) {
                case "DIAL":
                    Connection c = host.dial(Multiaddr.parse(command[1])).get(30, TimeUnit.SECONDS);
                    return "CONNECTED " + c.remoteAddress();
                case "AWAIT-DIRECT":
                    PeerId peer = PeerId.parse(command[1]);
                    for (int i = 0; i < 300; i++) {
                        Optional<Connection> direct = host.connection(peer).filter(x -> !x.isLimited());
                        if (direct.isPresent()) {
                            return "DIRECT " + direct.get().remoteAddress();
                        }
                        Thread.sleep(100);
                    }
                    return "NO-DIRECT " + host.connection(peer).map(Connection::toString).orElse("no connection");
                case "ECHO":
                    Connection to = host.connection(PeerId.parse(command[1])).orElseThrow();
                    byte[] echoed = Echo.roundTrip(to, command[2].getBytes(StandardCharsets.UTF_8))
                        .get(30, TimeUnit.SECONDS);
                    return "ECHO-OK " + to.remoteAddress() + " " + new String(echoed, StandardCharsets.UTF_8);
                default:
                    return "ERR unknown command " + command[0];
            }
        } catch (Exception e) {
            return command[0] + "-ERR " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
