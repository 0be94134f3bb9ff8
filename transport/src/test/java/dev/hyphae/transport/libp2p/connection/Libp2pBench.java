package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import dev.hyphae.transport.libp2p.ping.PingResponder;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The libp2p benchmark (not a test): two Java nodes on loopback, then Java against the js-libp2p
 * peer of src/test/js, measuring one-stream one-way throughput, echo throughput, ping round trips
 * on one stream and handshakes (dial and upgrade) per second. Run it with
 * {@code transport/bench-libp2p.sh}; arguments {@code [oneWayMiB] [echoMiB] [pings] [handshakes] [java|js|both]}.
 */
public final class Libp2pBench {

    /** The listener counts every byte until the dialer half-closes, then answers with the count. */
    static final String SINK = "/hyphae/test/sink/1.0.0";

    // generous: on a loaded machine one phase of a few hundred MiB can take minutes
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int CHUNK = 64 * 1024;
    private static final double MB = 1_000_000.0;

    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();

    private Libp2pBench() {
    }

    public static void main(String[] args) throws Exception {
        long oneWayMiB = args.length > 0 ? Long.parseLong(args[0]) : 512;
        long echoMiB = args.length > 1 ? Long.parseLong(args[1]) : 128;
        int pings = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int handshakes = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String peers = args.length > 4 ? args[4] : "both";
        if (oneWayMiB < 1 || echoMiB < 1 || pings < 1 || handshakes < 1) {
            throw new IllegalArgumentException("sizes and counts must be at least 1");
        }
        new Libp2pBench().run(oneWayMiB << 20, echoMiB << 20, pings, handshakes, peers);
    }

    private void run(long oneWay, long echo, int pings, int handshakes, String peers) throws Exception {
        System.out.printf("leak detection: %s, cores: %d%n",
            io.netty.util.ResourceLeakDetector.getLevel(), Runtime.getRuntime().availableProcessors());
        NioEventLoopGroup serverLoop = new NioEventLoopGroup(1);
        NioEventLoopGroup clientLoop = new NioEventLoopGroup(1);
        try {
            TcpTransport client = node(clientLoop);
            if (!peers.equals("js")) {
                PrivateKey serverKey = PrivateKey.generate(random);
                TcpTransport keyed = node(serverLoop, serverKey);
                TcpTransport.Listener listener = keyed.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
                Multiaddr target = listener.address().encapsulate(Multiaddr.parse("/p2p/" + serverKey.peerId()));
                measure("java<->java", client, target, oneWay, echo, pings, handshakes);
                listener.close().sync();
            }
            if (!peers.equals("java")) {
                if (!JsLibp2pPeer.nodeAvailable()) {
                    System.out.println("java<->js: skipped, node is not installed");
                } else {
                    try (JsLibp2pPeer js = JsLibp2pPeer.start()) {
                        measure("java<->js", client, Multiaddr.parse(js.listenAddress()), oneWay, echo, pings,
                            handshakes);
                    }
                }
            }
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void measure(String pair, TcpTransport client, Multiaddr target, long oneWay, long echo, int pings,
                         int handshakes) throws Exception {
        Connection connection = client.dial(target).get(10, TimeUnit.SECONDS);
        // Warm-up: let the JIT compile the data path and the windows grow.
        sink(connection, 32L << 20);
        echo(connection, 16L << 20);
        ping(connection, 200);

        long cpu = cpuNanos();
        long nanos = sink(connection, oneWay);
        cpu = cpuNanos() - cpu;
        System.out.printf(Locale.ROOT, "%s one-way, one stream: %d MiB in %.2f s = %.1f MB/s"
                + " (this JVM used %.2f s CPU: %.1f MB per CPU-second)%n",
            pair, oneWay >> 20, nanos / 1e9, oneWay / MB / (nanos / 1e9), cpu / 1e9, oneWay / MB / (cpu / 1e9));
        cpu = cpuNanos();
        nanos = echo(connection, echo);
        cpu = cpuNanos() - cpu;
        System.out.printf(Locale.ROOT, "%s echo, one stream: %d MiB each way in %.2f s = %.1f MB/s each way"
                + " (this JVM used %.2f s CPU)%n",
            pair, echo >> 20, nanos / 1e9, echo / MB / (nanos / 1e9), cpu / 1e9);
        long[] rtts = ping(connection, pings);
        Arrays.sort(rtts);
        System.out.printf(Locale.ROOT, "%s ping RTT over %d pings on one stream: p50 %.3f ms, p99 %.3f ms%n",
            pair, pings, rtts[rtts.length / 2] / 1e6, rtts[(int) (rtts.length * 0.99)] / 1e6);
        connection.close().sync();

        for (int i = 0; i < Math.min(20, handshakes); i++) {
            client.dial(target).get(10, TimeUnit.SECONDS).close().sync();
        }
        cpu = cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < handshakes; i++) {
            client.dial(target).get(10, TimeUnit.SECONDS).close().sync();
        }
        nanos = System.nanoTime() - start;
        cpu = cpuNanos() - cpu;
        System.out.printf(Locale.ROOT, "%s handshakes (dial + noise + yamux, sequential): %d in %.2f s = %.0f/s"
                + " (this JVM used %.2f ms CPU per handshake)%n",
            pair, handshakes, nanos / 1e9, handshakes / (nanos / 1e9), cpu / 1e6 / handshakes);
        Connection accepted;
        while ((accepted = inbound.poll()) != null) {
            accepted.close();
        }
    }

    /** CPU time of this whole JVM; the machine is shared, so wall-clock rates alone say little. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private TcpTransport node(NioEventLoopGroup loop) {
        return node(loop, PrivateKey.generate(random));
    }

    private TcpTransport node(NioEventLoopGroup loop, PrivateKey key) {
        StreamProtocols protocols = StreamProtocols.none()
            .with(EchoProtocol.ID, EchoProtocol.server())
            .with(SINK, sinkServer())
            .with(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder()));
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            protocols, random, Duration.ofSeconds(10));
        return new TcpTransport(loop, upgrader, inbound::add, Duration.ofSeconds(10));
    }

    private static ProtocolSelected sinkServer() {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "sink", new ChannelInboundHandlerAdapter() {
            private long count;

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                count += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    c.writeAndFlush(c.alloc().buffer(8).writeLong(count));
                    ((MuxedStream) c.channel()).shutdownOutput();
                }
            }
        });
    }

    /** Sends {@code total} bytes on a sink stream; nanoseconds until the remote confirmed the count. */
    private static long sink(Connection connection, long total) throws Exception {
        CompletableFuture<Long> confirmed = new CompletableFuture<>();
        Pump pump = new Pump(total, true) {
            private final ByteBuf reply = Unpooled.buffer(8);

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                reply.writeBytes((ByteBuf) msg);
                ((ByteBuf) msg).release();
                if (reply.readableBytes() >= 8) {
                    confirmed.complete(reply.readLong());
                }
            }
        };
        long start = System.nanoTime();
        MuxedStream stream = connection.openStream(SINK, pump.installer()).get(10, TimeUnit.SECONDS);
        long count = confirmed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        stream.close();
        if (count != total) {
            throw new IllegalStateException("sink counted " + count + " of " + total + " bytes");
        }
        return nanos;
    }

    /** Sends {@code total} bytes on an echo stream; nanoseconds until all came back. */
    private static long echo(Connection connection, long total) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Pump pump = new Pump(total, false) {
            private long received;

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                received += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
                if (received >= total) {
                    done.complete(null);
                }
            }
        };
        long start = System.nanoTime();
        MuxedStream stream = connection.openStream(EchoProtocol.ID, pump.installer()).get(10, TimeUnit.SECONDS);
        done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        stream.close();
        return nanos;
    }

    /** {@code count} sequential 32-byte pings on one stream; each round trip in nanoseconds. */
    private long[] ping(Connection connection, int count) throws Exception {
        long[] rtts = new long[count];
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] payload = new byte[PingProtocol.PAYLOAD_LENGTH];
        random.nextBytes(payload);
        ChannelInboundHandlerAdapter pinger = new ChannelInboundHandlerAdapter() {
            private int sent;
            private int echoed;
            private long sentAt;

            @Override
            public void handlerAdded(ChannelHandlerContext c) {
                send(c);
            }

            private void send(ChannelHandlerContext c) {
                sentAt = System.nanoTime();
                c.writeAndFlush(Unpooled.wrappedBuffer(payload));
                sent++;
            }

            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                echoed += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
                if (echoed >= sent * PingProtocol.PAYLOAD_LENGTH) {
                    rtts[sent - 1] = System.nanoTime() - sentAt;
                    if (sent == count) {
                        done.complete(null);
                    } else {
                        send(c);
                    }
                }
            }
        };
        MuxedStream stream = connection.openStream(PingProtocol.ID,
            (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "pinger", pinger)).get(10, TimeUnit.SECONDS);
        done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        stream.close();
        return rtts;
    }

    /** Writes {@code total} bytes in chunks as fast as the stream's writability allows. */
    private abstract static class Pump extends ChannelInboundHandlerAdapter {
        private static final byte[] DATA = new byte[CHUNK];
        private final boolean halfClose;
        private long left;

        Pump(long total, boolean halfClose) {
            this.left = total;
            this.halfClose = halfClose;
        }

        ProtocolSelected installer() {
            return (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "pump", this);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext c) {
            pump(c);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext c) {
            pump(c);
            c.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext c) {
            boolean wrote = false;
            while (left > 0 && c.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, left);
                c.write(Unpooled.wrappedBuffer(DATA, 0, n));
                left -= n;
                wrote = true;
            }
            if (wrote) {
                c.flush();
            }
            if (left == 0 && halfClose) {
                left = -1;
                ((MuxedStream) c.channel()).shutdownOutput();
            }
        }
    }
}
