package dev.hyphae.transport.libp2p.mdns;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mDNS peer discovery on one network interface: joins the mDNS group, asks for libp2p peers when
 * started and every {@link MdnsConfig#queryInterval()}, answers such questions (its own too, so that
 * listeners learn of it passively) and reports every other peer an answer names. Queries from a
 * port other than the group's are simple resolvers (RFC 6762 §6.7) and get a unicast reply.
 * Lifecycle: construct, {@link #start}, {@link #close}; the event loops belong to the caller.
 */
public final class MdnsDiscovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);
    /** RFC 6762 §6: a record is multicast at most once a second. */
    private static final long MIN_MULTICAST_RESPONSE_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MdnsConfig config;
    private final NetworkInterface networkInterface;
    private final PeerId self;
    private final Supplier<List<Multiaddr>> addresses;
    private final Consumer<DiscoveredPeer> onPeer;
    private final EventLoopGroup group;
    private DatagramChannel channel;
    private ScheduledFuture<?> queries;
    private long lastMulticastResponse = System.nanoTime() - MIN_MULTICAST_RESPONSE_GAP_NANOS;

    /**
     * @param addresses this node's addresses, each ending in {@code /p2p/<self>}; asked at each answer
     * @param onPeer receives each peer an answer names, other than {@code self}, on an event loop thread
     */
    public MdnsDiscovery(MdnsConfig config, NetworkInterface networkInterface, PeerId self,
                         Supplier<List<Multiaddr>> addresses, Consumer<DiscoveredPeer> onPeer, EventLoopGroup group) {
        this.config = Objects.requireNonNull(config);
        this.networkInterface = Objects.requireNonNull(networkInterface);
        this.self = Objects.requireNonNull(self);
        this.addresses = Objects.requireNonNull(addresses);
        this.onPeer = Objects.requireNonNull(onPeer);
        this.group = Objects.requireNonNull(group);
    }

    /**
     * Binds the group's port (shared with other mDNS responders on the machine), joins the group on
     * the interface, and sends the first question.
     *
     * @throws IOException if the socket cannot be bound or the group not joined
     */
    public synchronized void start() throws IOException {
        if (channel != null) {
            throw new IllegalStateException("mDNS discovery already started");
        }
        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channelFactory(() -> new NioDatagramChannel(InternetProtocolFamily.IPv4))
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.IP_MULTICAST_IF, networkInterface)
            .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
            .option(ChannelOption.IP_MULTICAST_TTL, 255)
            .handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    ch.pipeline().addLast("mdns-decoder", new MdnsDecoder())
                        .addLast("dns-query-encoder", new QueryEncoder())
                        .addLast("dns-response-encoder", new ResponseEncoder())
                        .addLast("mdns", new Handler());
                }
            });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(config.group().getPort())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("mDNS: cannot bind UDP port " + config.group().getPort() + ": "
                + bound.cause().getMessage(), bound.cause());
        }
        channel = (DatagramChannel) bound.channel();
        ChannelFuture joined = channel.joinGroup(config.group(), networkInterface).awaitUninterruptibly();
        if (!joined.isSuccess()) {
            channel.close().awaitUninterruptibly();
            channel = null;
            throw new IOException("mDNS: cannot join " + config.group() + " on " + networkInterface.getName() + ": "
                + joined.cause().getMessage(), joined.cause());
        }
        long every = config.queryInterval().toMillis();
        queries = channel.eventLoop().scheduleAtFixedRate(this::query, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("mDNS discovery on {} ({}), service {}", networkInterface.getName(), config.group(),
            config.serviceName());
    }

    /** Asks the group for libp2p peers now. */
    public void query() {
        DatagramChannel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(MdnsMessages.query(null, config.group(), config.serviceName()))
                .addListener(f -> logFailure(f, "mDNS query"));
        }
    }

    /** Tells the group this node's current addresses without being asked (e.g. after they changed). */
    public void announce() {
        DatagramChannel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.eventLoop().execute(() -> respond(ch, config.group(), 0, true));
        }
    }

    /** The UDP port bound, or 0 before {@link #start}. */
    public int port() {
        DatagramChannel ch = channel;
        return ch == null ? 0 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * The addresses announced: those given, with {@code 0.0.0.0} replaced by the interface's IPv4
     * address, and loopback addresses only when the interface is loopback (elsewhere they would
     * point the listener at itself).
     */
    List<Multiaddr> announcedAddresses() {
        boolean loopbackInterface = isLoopback();
        Optional<Inet4Address> interfaceIp = MdnsInterface.ipv4Of(networkInterface);
        List<Multiaddr> announced = new ArrayList<>();
        for (Multiaddr addr : addresses.get()) {
            List<Multiaddr.Component> parts = addr.components();
            Optional<String> ip4 = addr.valueOf(Protocol.IP4);
            Multiaddr candidate = addr;
            if (ip4.isPresent() && ip4.get().equals("0.0.0.0")) {
                if (interfaceIp.isEmpty()) {
                    continue;
                }
                String rest = addr.toString().substring(("/ip4/" + ip4.get()).length());
                candidate = Multiaddr.parse("/ip4/" + interfaceIp.get().getHostAddress() + rest);
            } else if (!parts.isEmpty() && (parts.get(0).protocol() == Protocol.IP4 || parts.get(0).protocol() == Protocol.IP6)
                    && isLoopbackIp(parts.get(0).valueText()) && !loopbackInterface) {
                continue;
            }
            if (!announced.contains(candidate)) {
                announced.add(candidate);
            }
        }
        return announced;
    }

    private boolean isLoopback() {
        try {
            return networkInterface.isLoopback();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isLoopbackIp(String ip) {
        try {
            return InetAddress.getByName(ip).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private void respond(DatagramChannel ch, InetSocketAddress to, int id, boolean multicast) {
        if (multicast) {
            long now = System.nanoTime();
            if (now - lastMulticastResponse < MIN_MULTICAST_RESPONSE_GAP_NANOS) {
                return;
            }
            lastMulticastResponse = now;
        }
        DatagramDnsResponse response = MdnsMessages.response(null, to, id, config.serviceName(), config.peerName(),
            announcedAddresses(), config.ttl(), ch.alloc());
        ch.writeAndFlush(response).addListener(f -> logFailure(f, "mDNS response"));
    }

    private static void logFailure(Future<?> f, String what) {
        if (!f.isSuccess()) {
            LOG.debug("{} not sent: {}", what, f.cause().getMessage());
        }
    }

    /** Stops asking and answering; the event loops keep running. */
    @Override
    public synchronized void close() {
        if (queries != null) {
            queries.cancel(false);
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<AddressedEnvelope<?, InetSocketAddress>> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, AddressedEnvelope<?, InetSocketAddress> msg) {
            if (msg instanceof DatagramDnsQuery query) {
                if (MdnsMessages.asksForPeers(query, config.serviceName(), config.peerName())) {
                    boolean legacy = query.sender().getPort() != config.group().getPort();
                    respond((DatagramChannel) ctx.channel(), legacy ? query.sender() : config.group(),
                        legacy ? query.id() : 0, !legacy);
                }
            } else if (msg instanceof DatagramDnsResponse response) {
                for (DiscoveredPeer peer : MdnsMessages.peersIn(response, config.serviceName())) {
                    if (!peer.peerId().equals(self)) {
                        onPeer.accept(peer);
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Anyone on the network can send anything: a bad packet is dropped, the socket stays.
            LOG.debug("mDNS packet dropped: {}", cause.getMessage());
        }
    }

    /** Netty's DNS encoders each take any addressed envelope, so each is told to take only its own kind. */
    private static final class QueryEncoder extends DatagramDnsQueryEncoder {
        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof DatagramDnsQuery;
        }
    }

    private static final class ResponseEncoder extends DatagramDnsResponseEncoder {
        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof DatagramDnsResponse;
        }
    }
}
