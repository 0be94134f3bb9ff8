package dev.hyphae.cli;

import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * mDNS discovery of {@code hyphae run}: on unless {@code --no-mdns}. It runs on the interface the
 * libp2p listen addresses are on, so the default loopback-only node is discoverable only on this
 * machine.
 */
final class MdnsOptions {
    @Option(names = "--no-mdns", description = "Do not discover or announce peers on the local network with mDNS.")
    boolean disabled;

    @Option(names = "--mdns-port", paramLabel = "PORT", hidden = true, defaultValue = "5353",
            description = "The UDP port of the mDNS group (tests use another, so as not to meet other nodes).")
    int port;

    Optional<MdnsConfig> config(SecureRandom random) {
        if (disabled) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--mdns-port out of range: " + port);
        }
        return Optional.of(MdnsConfig.defaults(random)
                .withGroup(new InetSocketAddress(MdnsConfig.MDNS_GROUP.getAddress(), port)));
    }
}
