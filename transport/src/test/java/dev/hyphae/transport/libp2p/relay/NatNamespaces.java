package dev.hyphae.transport.libp2p.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Two private networks behind NATs and a public network between them, built from Linux network
 * namespaces ({@code ip netns}) and iptables MASQUERADE:
 * <pre>
 *   a (10.0.1.2) -- router a: 10.0.1.1 | 192.0.2.10 --+
 *                                                      +-- public (bridge 192.0.2.1, the relay)
 *   b (10.0.2.2) -- router b: 10.0.2.1 | 192.0.2.20 --+
 * </pre>
 * The routers translate outbound connections (source ports kept where free, as Linux does) and
 * drop every connection attempt that arrives unsolicited from the public side, as home NATs do.
 * The public network has no route to the private ones. Namespace names carry a random suffix, so
 * that runs in parallel do not meet; {@link #close} deletes them all.
 */
final class NatNamespaces implements AutoCloseable {

    static final String RELAY_IP = "192.0.2.1";
    static final String NAT_A_IP = "192.0.2.10";
    static final String NAT_B_IP = "192.0.2.20";
    static final String A_IP = "10.0.1.2";
    static final String B_IP = "10.0.2.2";

    final String publicNs;
    final String a;
    final String b;
    private final String routerA;
    private final String routerB;
    private final List<String> created = new ArrayList<>();

    private NatNamespaces(String suffix) {
        publicNs = "hyI" + suffix;
        a = "hyA" + suffix;
        b = "hyB" + suffix;
        routerA = "hyRA" + suffix;
        routerB = "hyRB" + suffix;
    }

    /**
     * Why namespaces with NAT cannot be built here, if they cannot: not Linux, no {@code ip} or
     * {@code iptables}, no right to create namespaces, or no NAT table in them.
     */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        for (String tool : List.of("ip", "iptables")) {
            if (which(tool).isEmpty()) {
                return Optional.of("'" + tool + "' is not installed (Debian: iproute2, iptables)");
            }
        }
        String probe = "hyP" + suffix();
        try {
            Result add = run("ip", "netns", "add", probe);
            if (add.code != 0) {
                return Optional.of("cannot create a network namespace (needs root or CAP_SYS_ADMIN): " + add.output);
            }
            Result nat = run("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "lo",
                "-j", "MASQUERADE");
            if (nat.code != 0) {
                return Optional.of("iptables cannot add a MASQUERADE rule in a namespace: " + nat.output);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run ip: " + e.getMessage());
        } finally {
            try {
                run("ip", "netns", "del", probe);
            } catch (IOException ignored) {
                // nothing was created
            }
        }
    }

    /** Builds the networks; on failure deletes whatever was made and throws. */
    static NatNamespaces create() throws IOException {
        NatNamespaces n = new NatNamespaces(suffix());
        try {
            n.build();
            return n;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private void build() throws IOException {
        for (String ns : List.of(publicNs, routerA, routerB, a, b)) {
            ok("ip", "netns", "add", ns);
            created.add(ns);
            ok("ip", "-n", ns, "link", "set", "lo", "up");
        }
        ok("ip", "-n", publicNs, "link", "add", "br0", "type", "bridge");
        ok("ip", "-n", publicNs, "addr", "add", RELAY_IP + "/24", "dev", "br0");
        ok("ip", "-n", publicNs, "link", "set", "br0", "up");
        router(routerA, "ra", NAT_A_IP, "10.0.1.1", a, A_IP);
        router(routerB, "rb", NAT_B_IP, "10.0.2.1", b, B_IP);
    }

    private void router(String router, String port, String wanIp, String lanIp, String host, String hostIp)
        throws IOException {
        ok("ip", "-n", router, "link", "add", "wan", "type", "veth", "peer", "name", port, "netns", publicNs);
        ok("ip", "-n", publicNs, "link", "set", port, "master", "br0");
        ok("ip", "-n", publicNs, "link", "set", port, "up");
        ok("ip", "-n", router, "addr", "add", wanIp + "/24", "dev", "wan");
        ok("ip", "-n", router, "link", "set", "wan", "up");
        ok("ip", "-n", router, "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", host);
        ok("ip", "-n", router, "addr", "add", lanIp + "/24", "dev", "lan");
        ok("ip", "-n", router, "link", "set", "lan", "up");
        ok("ip", "-n", host, "addr", "add", hostIp + "/24", "dev", "eth0");
        ok("ip", "-n", host, "link", "set", "eth0", "up");
        ok("ip", "-n", host, "route", "add", "default", "via", lanIp);
        ok("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        ok("ip", "netns", "exec", router, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        // a home NAT: nothing from outside gets in unless it answers a connection from inside
        ok("ip", "netns", "exec", router, "iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "NEW",
            "-j", "DROP");
        ok("ip", "netns", "exec", router, "iptables", "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate",
            "NEW", "-j", "DROP");
    }

    /** The command prefix that runs a program inside namespace {@code ns}. */
    static List<String> inside(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                Result r = run("ip", "netns", "del", ns);
                if (r.code != 0) {
                    System.err.println("could not delete namespace " + ns + ": " + r.output);
                }
            } catch (IOException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        created.clear();
    }

    private record Result(int code, String output) {
    }

    private static void ok(String... command) throws IOException {
        Result r = run(command);
        if (r.code != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.code + "): " + r.output);
        }
    }

    private static Result run(String... command) throws IOException {
        Path out = Files.createTempFile("netns", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Optional<Path> which(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String suffix() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
