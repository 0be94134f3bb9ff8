package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p TCP transport on Netty: listens on and dials {@code /ip4|ip6|dns|dns4|dns6/…/tcp/…}
 * addresses, optionally ending in {@code /p2p/<id>}, and upgrades every connection. With port
 * reuse (the default, see {@link PortReuse}) dials leave from the listen port, so that peers
 * observe the address the node listens on, as hole punching needs.
 */
public final class TcpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

    /**
     * Netty's default (32/64 KiB) is below one full yamux frame, so a stream could hand the
     * connection only one frame per flush; several frames per write make fewer, larger syscalls.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final EventLoopGroup group;
    private final ConnectionUpgrader upgrader;
    private final Consumer<Connection> onInbound;
    private final Duration dialTimeout;
    private final InboundGate gate;
    private final PortReuse portReuse;

    /**
     * A transport that upgrades every inbound connection.
     *
     * @param group the event loops for sockets; owned by the caller, who shuts it down
     * @param onInbound receives each inbound connection once it is upgraded
     */
    public TcpTransport(EventLoopGroup group, ConnectionUpgrader upgrader, Consumer<Connection> onInbound,
                        Duration dialTimeout) {
        this(group, upgrader, onInbound, dialTimeout, InboundGate.OPEN);
    }

    /**
     * A transport that asks {@code gate} about each accepted socket before the handshake, and closes
     * those it refuses, so that a refused peer costs no Noise handshake.
     */
    public TcpTransport(EventLoopGroup group, ConnectionUpgrader upgrader, Consumer<Connection> onInbound,
                        Duration dialTimeout, InboundGate gate) {
        this(group, upgrader, onInbound, dialTimeout, gate, true);
    }

    /**
     * As above; {@code reusePort} makes dials leave from the listen port ({@code SO_REUSEPORT})
     * where the platform allows it.
     */
    public TcpTransport(EventLoopGroup group, ConnectionUpgrader upgrader, Consumer<Connection> onInbound,
                        Duration dialTimeout, InboundGate gate, boolean reusePort) {
        this.portReuse = new PortReuse(reusePort);
        this.group = group;
        this.upgrader = upgrader;
        this.onInbound = onInbound;
        this.dialTimeout = dialTimeout;
        this.gate = Objects.requireNonNull(gate);
    }

    /** A bound TCP listener; {@code address} carries the port actually bound. */
    public record Listener(Channel serverChannel, Multiaddr address) {
        /** Stops accepting; connections already accepted stay open. */
        public ChannelFuture close() {
            return serverChannel.close();
        }
    }

    /**
     * Binds to {@code address}; port 0 picks a free port, which the listener's address then shows.
     *
     * The future fails with {@link MultiaddrException} if the address is not a TCP address.
     */
    public CompletableFuture<Listener> listen(Multiaddr address) {
        CompletableFuture<Listener> result = new CompletableFuture<>();
        InetSocketAddress socketAddress;
        try {
            socketAddress = toSocketAddress(address, false);
        } catch (MultiaddrException e) {
            result.completeExceptionally(e);
            return result;
        }
        try {
            portReuse.checkFree(socketAddress);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        ServerBootstrap bootstrap = portReuse.configure(new ServerBootstrap())
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    Optional<String> refusal = gate.refusal(ch.remoteAddress());
                    if (refusal.isPresent()) {
                        LOG.info("inbound connection from {} refused before the handshake: {}", ch.remoteAddress(),
                            refusal.get());
                        ch.close();
                        return;
                    }
                    Multiaddr remote = toMultiaddr(ch.remoteAddress());
                    upgrader.upgrade(ch, false, Optional.empty(), remote).whenComplete((connection, error) -> {
                        if (error != null) {
                            LOG.debug("inbound connection from {} not upgraded: {}", remote, error.getMessage());
                        } else {
                            onInbound.accept(connection);
                        }
                    });
                }
            });
        bootstrap.bind(socketAddress).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                InetSocketAddress bound = (InetSocketAddress) f.channel().localAddress();
                portReuse.listening(bound);
                f.channel().closeFuture().addListener(c -> portReuse.stopped(bound));
                result.complete(new Listener(f.channel(), toMultiaddr(bound)));
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /** Whether dials leave from the listen port (see {@link PortReuse}). */
    public boolean reusesPort() {
        return portReuse.enabled();
    }

    /**
     * Dials {@code address} and upgrades the connection; a trailing {@code /p2p/<id>} must match
     * the identity the remote proves in the handshake. The dial leaves from a listen port when it
     * can, else (or when that four-tuple is taken) from an ephemeral one.
     */
    public CompletableFuture<Connection> dial(Multiaddr address) {
        return dial(address, Role.INITIATOR, true);
    }

    /**
     * Dials {@code address} for a hole punch (DCUtR): always from the listen port when port reuse is
     * on, never falling back to an ephemeral port, which no NAT would have opened. The DCUtR client
     * (the spec's A) upgrades as initiator; the server (B) as responder if the client speaks first
     * within {@code roleWait} (a TCP simultaneous open), else as initiator.
     */
    public CompletableFuture<Connection> dialHolePunch(Multiaddr address, boolean client, Duration roleWait) {
        return dial(address, client ? Role.INITIATOR : Role.SERVER_OF_SIMULTANEOUS_OPEN.waiting(roleWait), false);
    }

    /** How a dialled connection is upgraded. */
    private record Role(boolean probe, Duration roleWait) {
        static final Role INITIATOR = new Role(false, Duration.ZERO);
        static final Role SERVER_OF_SIMULTANEOUS_OPEN = new Role(true, Duration.ZERO);

        Role waiting(Duration roleWait) {
            return new Role(probe, roleWait);
        }
    }

    private CompletableFuture<Connection> dial(Multiaddr address, Role role, boolean ephemeralFallback) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        InetSocketAddress socketAddress;
        Optional<PeerId> expected;
        try {
            socketAddress = toSocketAddress(address, true);
            expected = address.valueOf(Protocol.P2P).map(PeerId::parse);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        Optional<InetSocketAddress> local = portReuse.localFor(socketAddress);
        // each attempt has its own future: a socket that failed to connect closes, and its upgrade with it
        CompletableFuture<Connection> first = new CompletableFuture<>();
        connect(address, socketAddress, local, expected, role, first).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                forward(first, result);
                return;
            }
            if (local.isPresent() && ephemeralFallback && PortReuse.isBindFailure(f.cause())) {
                LOG.debug("dial of {} from port {} failed ({}); dialling from an ephemeral port", address,
                    local.get().getPort(), f.cause().getMessage());
                CompletableFuture<Connection> second = new CompletableFuture<>();
                connect(address, socketAddress, Optional.empty(), expected, role, second).addListener((ChannelFuture g) -> {
                    if (g.isSuccess()) {
                        forward(second, result);
                    } else {
                        result.completeExceptionally(new UpgradeException("could not connect to " + address, g.cause()));
                    }
                });
                return;
            }
            result.completeExceptionally(new UpgradeException("could not connect to " + address, f.cause()));
        });
        return result;
    }

    private static void forward(CompletableFuture<Connection> attempt, CompletableFuture<Connection> result) {
        attempt.whenComplete((c, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(c);
            }
        });
    }

    private ChannelFuture connect(Multiaddr address, InetSocketAddress remote, Optional<InetSocketAddress> local,
                                  Optional<PeerId> expected, Role role, CompletableFuture<Connection> result) {
        Multiaddr remoteAddr = address.withoutPeerId();
        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) dialTimeout.toMillis())
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    if (role.probe()) {
                        // until the role is chosen no upgrade watches the socket, so its end fails the dial here
                        ch.closeFuture().addListener(f -> result.completeExceptionally(
                            new UpgradeException("connection to " + address + " closed before its upgrade")));
                        ch.pipeline().addLast("simultaneous-open-role", new SimultaneousOpenRole(role.roleWait(),
                            initiator -> upgrade(ch, initiator, expected, remoteAddr, result)));
                    } else {
                        upgrade(ch, true, expected, remoteAddr, result);
                    }
                }
            });
        if (local.isPresent()) {
            portReuse.configure(bootstrap);
            return bootstrap.connect(remote, local.get());
        }
        return bootstrap.connect(remote);
    }

    private void upgrade(SocketChannel ch, boolean initiator, Optional<PeerId> expected, Multiaddr remote,
                         CompletableFuture<Connection> result) {
        upgrader.upgrade(ch, initiator, expected, remote).whenComplete((connection, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(connection);
            }
        });
    }

    /**
     * The socket address of a TCP multiaddr. Host names are resolved here, keeping to the address
     * family that {@code dns4} or {@code dns6} asks for.
     */
    static InetSocketAddress toSocketAddress(Multiaddr address, boolean allowPeerId) {
        List<Multiaddr.Component> parts = (allowPeerId ? address.withoutPeerId() : address).components();
        if (parts.size() != 2 || parts.get(1).protocol() != Protocol.TCP) {
            throw new MultiaddrException("not a TCP address: " + address);
        }
        int port = Integer.parseInt(parts.get(1).valueText());
        Multiaddr.Component host = parts.get(0);
        switch (host.protocol()) {
            case IP4:
            case IP6:
                return new InetSocketAddress(host.valueText(), port);
            case DNS:
                return new InetSocketAddress(resolve(host.valueText(), InetAddress.class), port);
            case DNS4:
                return new InetSocketAddress(resolve(host.valueText(), Inet4Address.class), port);
            case DNS6:
                return new InetSocketAddress(resolve(host.valueText(), Inet6Address.class), port);
            default:
                throw new MultiaddrException("not a TCP address: " + address);
        }
    }

    private static InetAddress resolve(String host, Class<? extends InetAddress> family) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (family.isInstance(a)) {
                    return a;
                }
            }
            throw new MultiaddrException("no " + family.getSimpleName() + " for host " + host);
        } catch (UnknownHostException e) {
            throw new MultiaddrException("cannot resolve host " + host);
        }
    }

    static Multiaddr toMultiaddr(InetSocketAddress address) {
        String ip = address.getAddress().getHostAddress();
        String family = address.getAddress() instanceof Inet6Address ? "ip6" : "ip4";
        int zone = ip.indexOf('%');
        if (zone >= 0) {
            ip = ip.substring(0, zone);
        }
        return Multiaddr.parse("/" + family + "/" + ip + "/tcp/" + address.getPort());
    }
}
