package dev.hyphae.node.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-server API over HTTP/1.1 on Netty. The network threads only parse and write; every
 * handler runs on a bounded pool of worker threads.
 */
public final class MatrixHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixHttpServer.class);

    private final HttpSettings settings;
    private final RequestDispatcher dispatcher;
    // Null when the handlers run on a pool the server borrows (and does not stop).
    private final ThreadPoolExecutor workers;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup network;
    private final boolean ownsThreads;
    // The server's own connections: on a borrowed group, closing the server must close them itself.
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private Channel serverChannel;
    private boolean closed;

    public MatrixHttpServer(HttpSettings settings, RouteTable routes, AccessTokenAuthenticator authenticator) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workerQueue()), named("hyphae-http-worker"));
        this.dispatcher = new RequestDispatcher(routes, authenticator, new RateLimiter(settings.perIp()),
                new RateLimiter(settings.perUser()), workers);
        this.acceptor = new NioEventLoopGroup(1, named("hyphae-http-accept"));
        this.network = new NioEventLoopGroup(2, named("hyphae-http-io"));
        this.ownsThreads = true;
    }

    /**
     * A server on threads it borrows, for many servers in one process: its sockets on
     * {@code eventLoops}, its handlers on {@code handlers}; the caller shuts both down after closing
     * every server on them. {@link HttpSettings#workerThreads()} and {@link HttpSettings#workerQueue()}
     * are then the borrowed pool's business.
     */
    public MatrixHttpServer(HttpSettings settings, RouteTable routes, AccessTokenAuthenticator authenticator,
            EventLoopGroup eventLoops, Executor handlers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workers = null;
        this.dispatcher = new RequestDispatcher(routes, authenticator, new RateLimiter(settings.perIp()),
                new RateLimiter(settings.perUser()), Objects.requireNonNull(handlers, "handlers"));
        this.acceptor = Objects.requireNonNull(eventLoops, "eventLoops");
        this.network = eventLoops;
        this.ownsThreads = false;
    }

    /**
     * Binds the listening socket and starts serving.
     *
     * @return the bound address (with the real port when the settings asked for port 0)
     * @throws IllegalStateException when the address cannot be bound or the server was started
     */
    public synchronized InetSocketAddress start() {
        if (closed || serverChannel != null) {
            throw new IllegalStateException("the server was already started");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, network)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.closeFuture().addListener(closed -> connections.remove(channel));
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new LimitedBodyAggregator(settings.maxBodyBytes()))
                                // Hands on one request per read(), so pipelined requests wait their turn.
                                .addLast(new FlowControlHandler())
                                .addLast(new MatrixChannelHandler(dispatcher));
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("client-server API listening on {}", address);
        return address;
    }

    /** Stops accepting, closes connections and stops the workers. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        if (!ownsThreads) {
            for (Channel connection : List.copyOf(connections)) {
                connection.close().awaitUninterruptibly();
            }
            return;
        }
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        network.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
