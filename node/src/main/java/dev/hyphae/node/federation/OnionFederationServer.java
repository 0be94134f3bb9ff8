package dev.hyphae.node.federation;

import dev.hyphae.node.http.MatrixChannelHandler;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.transport.tor.OnionServiceListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Serves the federation route table as HTTP/1.1 on the loopback listener behind the node's onion
 * service: the same dispatcher as over libp2p. tor hides who connects, so every request's remote
 * is {@value #REMOTE}; the origin comes from its X-Matrix signature, as on every carrier.
 */
public final class OnionFederationServer implements AutoCloseable {
    /** What stands in for the remote address of requests that came through the onion service. */
    public static final String REMOTE = "tor";
    /** The carrier name requests served here carry, as transport policies name it. */
    public static final String CARRIER = "tor";

    private final OnionServiceListener listener;

    OnionFederationServer(EventLoopGroup group, RequestDispatcher dispatcher, FederationSettings settings) {
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(settings, "settings");
        long timeoutMillis = settings.requestTimeout().toMillis();
        this.listener = OnionServiceListener.bind(group, group, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                // A connection that sends nothing for the request timeout is closed, so idle ones do not pile up.
                channel.pipeline().addLast(new ReadTimeoutHandler(timeoutMillis, TimeUnit.MILLISECONDS),
                        new HttpServerCodec(), new HttpObjectAggregator(settings.maxRequestBodyBytes()),
                        MatrixChannelHandler.forRemote(dispatcher, REMOTE, CARRIER));
            }
        });
    }

    /** Where the onion service forwards its port 80 to. */
    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    @Override
    public void close() {
        listener.close();
    }
}
