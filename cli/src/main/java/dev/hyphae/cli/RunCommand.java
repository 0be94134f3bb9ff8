package dev.hyphae.cli;

import dev.hyphae.node.client.TurnSettings;
import dev.hyphae.node.http.RateLimit;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyphae run}: opens the node's data directory (identity key, SQLite store) and serves the
 * client-server API until interrupted (SIGINT, SIGTERM), and federation (the server-server API) as
 * HTTP/1.1 over libp2p streams and over the node's onion service (Tor); requests to other servers
 * go over libp2p first and over Tor when libp2p does not reach them.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a node and serve the client-server API until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Mixin
    Libp2pOptions libp2p;

    @Mixin
    TorOptions torOptions;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--no-libp2p",
            description = "Federate over Tor only: no libp2p listener, no libp2p requests (default: libp2p on).")
    boolean noLibp2p;

    @Mixin
    MdnsOptions mdns;

    @Mixin
    MailboxOptions mailboxOptions;

    @Mixin
    RateLimitOptions rateLimits;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8008",
            description = "Where to serve the client-server API (default: ${DEFAULT-VALUE}; loopback only).")
    String listen;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics (totals only) at http://HOST:PORT/metrics; loopback only (default: off).")
    String metricsListen;

    @Option(names = "--open-registration",
            description = "Let anyone who reaches the API register an account (default: off).")
    boolean openRegistration;

    @Option(names = "--registration-token", paramLabel = "TOKEN", split = ",",
            description = "A registration token good for one account; may be repeated.")
    List<String> registrationTokens = new ArrayList<>();

    @Option(names = "--turn-uri", paramLabel = "URI", split = ",",
            description = "A TURN server URI offered to clients for calls (turn: or turns:); may be repeated.")
    List<String> turnUris = new ArrayList<>();

    @Option(names = "--turn-secret", paramLabel = "SECRET",
            description = "The secret shared with the TURN server (its use-auth-secret), for time-limited credentials.")
    String turnSecret = "";

    @Option(names = "--turn-ttl", paramLabel = "SECONDS", defaultValue = "86400",
            description = "How long TURN credentials stay valid (default: ${DEFAULT-VALUE}).")
    long turnTtlSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NodeSettings settings = settings();
        var out = spec.commandLine().getOut();
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdownHook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hyphae-shutdown");
        try (HyphaeNode node = HyphaeNode.start(settings, out)) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            printReady(node, out);
            stopRequested.await();
        } catch (InterruptedException e) {
            // Interrupted by the embedding thread: stop like on SIGINT.
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // The JVM is already shutting down, or the hook was never added.
            }
        }
        out.println("Hyphae node stopped.");
        return 0;
    }

    /** The node's settings from the options; a bad value is a usage error naming its option. */
    NodeSettings settings() {
        InetSocketAddress clientListen = parseListen("--listen", listen);
        Optional<InetSocketAddress> metrics = metricsListen == null ? Optional.empty()
                : Optional.of(parseListen("--metrics-listen", metricsListen));
        boolean useTor = torOptions.enabled();
        if (noLibp2p && !useTor) {
            throw new ParameterException(spec.commandLine(),
                    "--no-libp2p leaves Tor as the only carrier, but Tor is off (--no-tor, or no tor binary found)");
        }
        NodeSettings.TorMode torMode = !useTor ? NodeSettings.TorMode.OFF
                : torOptions.required() || noLibp2p ? NodeSettings.TorMode.REQUIRED
                : NodeSettings.TorMode.BACKGROUND;
        Path dataDir = dataDirectory.resolve();
        try {
            return new NodeSettings(dataDir, clientListen, !noLibp2p, libp2p.listenAddrs(), libp2p.bootstrapPeers(),
                    mdns.config(new SecureRandom()), torMode, torOptions.config(dataDir), metrics, openRegistration,
                    registrationTokens, new TurnSettings(turnUris, turnSecret, Duration.ofSeconds(turnTtlSeconds)),
                    mailboxOptions.settings(), NodeTuning.none(), rateLimits.limits());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void printReady(HyphaeNode node, PrintWriter out) {
        NodeSettings settings = node.settings();
        out.println("Hyphae node");
        out.println("  data directory: " + settings.dataDir().toAbsolutePath());
        out.println("  server name:    " + node.identity().serverName());
        out.println("  peer ID:        " + node.identity().peerId());
        if (!settings.libp2p()) {
            out.println("  p2p:            off (--no-libp2p)");
        } else {
            node.host().addresses().forEach(address -> out.println("  p2p listen:     " + address));
            out.println("  known peers:    " + node.host().peerStore().size()
                    + (settings.mdns().isPresent() ? " (mDNS discovery on)" : ""));
        }
        out.println("  onion service:  " + switch (settings.tor()) {
            case OFF -> "off";
            case BACKGROUND -> "starting (tor bootstraps in the background)";
            case REQUIRED -> node.tor().map(tor -> tor.onionAddress() + " (published)").orElse("unavailable");
        });
        if (!settings.mailbox().mailboxes().isEmpty()) {
            out.println("  mailboxes:      " + String.join(", ", settings.mailbox().mailboxes()));
        }
        settings.mailbox().serve().ifPresent(serve -> out.println("  mailbox:        serving up to "
                + serve.maxRecipients() + " nodes, " + serve.maxEnvelopes() + " envelopes each, kept "
                + serve.expiry().toHours() + " h"));
        node.metricsAddress().ifPresent(address -> out.println("  metrics:        http://"
                + HyphaeNode.hostForUrl(address.getAddress().getHostAddress()) + ":" + address.getPort() + "/metrics"));
        out.println("  database:       schema version " + node.store().schemaVersion());
        out.println("  registration:   " + (openRegistration ? "open" : "closed")
                + (registrationTokens.isEmpty() ? "" : " (" + registrationTokens.size() + " tokens)"));
        out.println("  rate limits:    " + describe(settings.clientRateLimits().perIp()) + " per address, "
                + describe(settings.clientRateLimits().perUser()) + " per user");
        out.println("Homeserver URL: " + node.url());
        out.flush();
    }

    private static String describe(RateLimit limit) {
        return limit.isUnlimited() ? "none" : String.format(Locale.ROOT, "%s/s (burst %d)",
                BigDecimal.valueOf(limit.perSecond()).stripTrailingZeros().toPlainString(), limit.burst());
    }

    private InetSocketAddress parseListen(String option, String value) {
        try {
            return parseListenAddress(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " " + e.getMessage());
        }
    }

    /** HOST:PORT, with IPv6 hosts in brackets ({@code [::1]:8008}). */
    static InetSocketAddress parseListenAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be HOST:PORT, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number: '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
