package dev.hyphae.transport.libp2p.mdns;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Picks the network interface mDNS multicasts on: the one the host is reachable on. A host that
 * listens on loopback only is found on loopback only, so nothing about it leaves the machine.
 */
public final class MdnsInterface {

    private MdnsInterface() {
    }

    /**
     * The interface of the first IPv4 listen address that is not loopback; for {@code 0.0.0.0} the
     * first interface that is up, multicasts and has an IPv4 address. With only loopback addresses
     * (or none that fit), the loopback interface.
     *
     * @throws IOException if not even a loopback interface exists
     */
    public static NetworkInterface forListenAddresses(List<Multiaddr> listenAddrs) throws IOException {
        for (Multiaddr addr : listenAddrs) {
            Optional<String> ip4 = addr.withoutPeerId().valueOf(Protocol.IP4);
            if (ip4.isEmpty()) {
                continue;
            }
            InetAddress ip = InetAddress.getByName(ip4.get());
            if (ip.isLoopbackAddress()) {
                continue;
            }
            Optional<NetworkInterface> found = ip.isAnyLocalAddress() ? firstLanInterface()
                : Optional.ofNullable(NetworkInterface.getByInetAddress(ip));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return loopback();
    }

    /** The interface called {@code name}. */
    public static NetworkInterface named(String name) throws IOException {
        NetworkInterface found = NetworkInterface.getByName(name);
        if (found == null) {
            throw new IOException("no network interface named " + name);
        }
        return found;
    }

    /** The first IPv4 address of {@code networkInterface}. */
    static Optional<Inet4Address> ipv4Of(NetworkInterface networkInterface) {
        return Collections.list(networkInterface.getInetAddresses()).stream()
            .filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).findFirst();
    }

    private static Optional<NetworkInterface> firstLanInterface() throws SocketException {
        for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (candidate.isUp() && !candidate.isLoopback() && candidate.supportsMulticast()
                    && ipv4Of(candidate).isPresent()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static NetworkInterface loopback() throws IOException {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        if (lo == null) {
            throw new IOException("no loopback interface");
        }
        return lo;
    }
}
