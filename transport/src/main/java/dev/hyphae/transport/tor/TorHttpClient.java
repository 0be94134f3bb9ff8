package dev.hyphae.transport.tor;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP/1.1 to onion services through tor's SOCKS5 port: one connection per request, port 80.
 * The onion address goes to tor unresolved; nothing is looked up in DNS.
 */
public final class TorHttpClient {
    /** Onion rendezvous on a fresh circuit can take many seconds; responses then come fast. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Supplier<InetSocketAddress> socksProxy;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final int maxResponseBytes;

    /**
     * @param group           a NIO event loop group
     * @param socksProxy      tor's SOCKS5 address, asked at each request (it changes when tor restarts)
     * @param connectTimeout  for the SOCKS handshake, i.e. until tor has reached the onion service
     * @param responseTimeout from the request sent to the whole response read
     */
    public TorHttpClient(EventLoopGroup group, Supplier<InetSocketAddress> socksProxy, Duration connectTimeout,
                         Duration responseTimeout, int maxResponseBytes) {
        this.group = Objects.requireNonNull(group, "group");
        this.socksProxy = Objects.requireNonNull(socksProxy, "socksProxy");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A client over {@code tor}'s SOCKS port with the default timeouts. */
    public static TorHttpClient over(TorProcess tor, EventLoopGroup group) {
        return new TorHttpClient(group, tor::socksAddress, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT,
            DEFAULT_MAX_RESPONSE_BYTES);
    }

    /**
     * Sends {@code request} to {@code onionAddress}:80 and completes with the response, or
     * exceptionally with a {@link TorException} saying whether tor, the SOCKS handshake (e.g. the
     * service is not reachable) or the HTTP exchange failed. Takes ownership of {@code request}.
     * The Host header is set to the onion address.
     */
    public CompletableFuture<TorHttpResponse> send(String onionAddress, FullHttpRequest request) {
        CompletableFuture<TorHttpResponse> result = new CompletableFuture<>();
        String host;
        InetSocketAddress proxy;
        try {
            host = OnionService.serviceIdOf(onionAddress) + ".onion";
            proxy = socksProxy.get();
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(request);
            result.completeExceptionally(e);
            return result;
        }
        request.headers().set(HttpHeaderNames.HOST, host);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(request, request.content().readableBytes());

        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .resolver(NoopAddressResolverGroup.INSTANCE)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    Socks5ProxyHandler socks = new Socks5ProxyHandler(proxy);
                    socks.setConnectTimeoutMillis(connectTimeout.toMillis());
                    channel.pipeline().addLast(socks, new HttpClientCodec(), new HttpObjectAggregator(maxResponseBytes),
                        new ResponseHandler(result, host));
                }
            });
        ChannelFuture connect = bootstrap.connect(InetSocketAddress.createUnresolved(host, OnionService.VIRTUAL_PORT));
        Channel channel = connect.channel();
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                ReferenceCountUtil.release(request);
                result.completeExceptionally(new TorException("cannot open a connection to tor's SOCKS port at " + proxy
                    + ": " + done.cause().getMessage(), done.cause()));
            }
        });
        // The proxy handler queues writes until tor has connected to the service.
        channel.eventLoop().execute(() -> {
            if (!connect.isDone() || connect.isSuccess()) {
                ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
                    if (result.completeExceptionally(new TorException("no response from " + host + " within "
                        + (connectTimeout.plus(responseTimeout)).toSeconds() + " s"))) {
                        channel.close();
                    }
                }, connectTimeout.plus(responseTimeout).toMillis(), TimeUnit.MILLISECONDS);
                result.whenComplete((response, failure) -> deadline.cancel(false));
                channel.writeAndFlush(request).addListener(written -> {
                    if (!written.isSuccess() && result.completeExceptionally(proxyFailure(host, proxy, written.cause()))) {
                        channel.close();
                    }
                });
            }
        });
        result.whenComplete((response, failure) -> channel.close());
        return result;
    }

    private static TorException proxyFailure(String host, InetSocketAddress proxy, Throwable cause) {
        return new TorException("cannot reach " + host + " through tor's SOCKS port " + proxy + ": " + cause.getMessage(), cause);
    }

    /** Completes the request's future from the one aggregated response or from the channel's failure. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<TorHttpResponse> result;
        private final String host;

        ResponseHandler(CompletableFuture<TorHttpResponse> result, String host) {
            this.result = result;
            this.host = host;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                result.completeExceptionally(new TorException("bad HTTP response from " + host + ": "
                    + response.decoderResult().cause().getMessage(), response.decoderResult().cause()));
                return;
            }
            result.complete(new TorHttpResponse(response.status().code(), response.headers().copy(),
                ByteBufUtil.getBytes(response.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            result.completeExceptionally(new TorException("request to " + host + " failed: " + cause.getMessage(), cause));
            context.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            result.completeExceptionally(new TorException(host + " closed the connection before a response"));
            context.fireChannelInactive();
        }
    }
}
