package dev.hyphae.transport.libp2p.connection;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Dialling from the listen port: outbound sockets are bound to the port the node listens on, with
 * {@code SO_REUSEADDR} and {@code SO_REUSEPORT} on both the listening and the dialling socket, so
 * that a NAT maps outbound connections to the same external port that peers observe (identify's
 * {@code observedAddr}) and that hole punching (DCUtR) dials. The JDK's NIO sockets support
 * {@code SO_REUSEPORT} on Linux and macOS; where they do not, the node still listens and dials,
 * only from ephemeral ports.
 */
final class PortReuse {

    /** Whether this JDK can set {@code SO_REUSEPORT} on TCP sockets here. */
    static final boolean SUPPORTED = probe();

    private final boolean enabled;
    private final List<InetSocketAddress> listening = new CopyOnWriteArrayList<>();

    PortReuse(boolean enabled) {
        this.enabled = enabled && SUPPORTED;
    }

    boolean enabled() {
        return enabled;
    }

    /** Sets the reuse options on a listening or dialling socket's bootstrap. */
    <B extends AbstractBootstrap<B, ?>> B configure(B bootstrap) {
        if (enabled) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true);
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        return bootstrap;
    }

    /**
     * Fails if another socket listens on {@code address} already. With {@code SO_REUSEPORT} a
     * second listener of the same user would bind too and silently take half the inbound
     * connections, so a fixed port is first bound without it.
     */
    void checkFree(InetSocketAddress address) throws IOException {
        if (!enabled || address.getPort() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        }
    }

    void listening(InetSocketAddress bound) {
        listening.add(bound);
    }

    void stopped(InetSocketAddress bound) {
        listening.remove(bound);
    }

    /**
     * The listen address a dial to {@code remote} should be bound to: one of the same address
     * family whose IP is unspecified, or loopback exactly when {@code remote} is loopback, so that
     * the kernel can route from it.
     */
    Optional<InetSocketAddress> localFor(InetSocketAddress remote) {
        if (!enabled || remote.isUnresolved()) {
            return Optional.empty();
        }
        InetAddress to = remote.getAddress();
        for (InetSocketAddress l : listening) {
            InetAddress from = l.getAddress();
            if ((from instanceof Inet4Address) != (to instanceof Inet4Address)) {
                continue;
            }
            if (from.isAnyLocalAddress() || from.isLoopbackAddress() == to.isLoopbackAddress()) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a dial from a reused port failed because the port could not be used for it (the
     * same four-tuple is taken, or lingers in TIME_WAIT), so that an ephemeral port may do.
     */
    static boolean isBindFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Cannot assign requested address") || m.contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean probe() {
        try (SocketChannel s = SocketChannel.open()) {
            if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                return false;
            }
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
