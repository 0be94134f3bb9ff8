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
import io.netty.handler.proxy.ProxyConnectException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 to onion services through tor's SOCKS5 port: one connection per request, port 80.
 * The onion address goes to tor unresolved; nothing is looked up in DNS.
 */
public final class TorHttpClient {
    /** Onion rendezvous on a fresh circuit can take many seconds; responses then come fast. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    private static final Pattern SOCKS_STATUS = Pattern.compile("status: \\w+\\((-?\\d+)\\)");

    private final EventLoopGroup group;
    private final Supplier<InetSocketAddress> socksProxy;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final int maxResponseBytes;

    /**
     * @param group           a NIO event loop group
     * @param socksProxy      tor's SOCKS5 address, asked at each request (it changes when tor restarts)
     * @param connectTimeout  for the SOCKS handshake, i.e. until tor has reached the onion service
     * @param responseTimeout from tor having reached the service to the whole response read
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

        Socks5ProxyHandler socks = new Socks5ProxyHandler(proxy);
        socks.setConnectTimeoutMillis(connectTimeout.toMillis());
        Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .resolver(NoopAddressResolverGroup.INSTANCE)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
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
                return;
            }
            // the proxy handler holds the request back until tor has connected to the service
            channel.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess() && result.completeExceptionally(proxyFailure(host, proxy, written.cause()))) {
                    channel.close();
                }
            });
            socks.connectFuture().addListener(reached -> {
                if (!reached.isSuccess()) {
                    if (result.completeExceptionally(proxyFailure(host, proxy, reached.cause()))) {
                        channel.close();
                    }
                    return;
                }
                ScheduledFuture<?> deadline = channel.eventLoop().schedule(() -> {
                    if (result.completeExceptionally(new TorException("no response from " + host + " within "
                        + responseTimeout.toMillis() + " ms"))) {
                        channel.close();
                    }
                }, responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
                result.whenComplete((response, failure) -> deadline.cancel(false));
            });
        });
        result.whenComplete((response, failure) -> channel.close());
        return result;
    }

    /**
     * Names tor's SOCKS5 reply: with {@code ExtendedErrors} tor says why an onion service is not
     * reachable (codes F0..F7 of tor's socks-extensions), which tells "offline" from "bad address".
     */
    static String socksFailure(String message) {
        Matcher status = SOCKS_STATUS.matcher(message == null ? "" : message);
        if (!status.find()) {
            return message;
        }
        int code = Integer.parseInt(status.group(1)) & 0xff;
        String meaning = switch (code) {
            case 0x01 -> "general failure";
            case 0x04 -> "host unreachable";
            case 0x05 -> "connection refused by the onion service's host";
            case 0x06 -> "TTL expired (timed out)";
            case 0xF0 -> "onion service descriptor can not be found (the service is offline or unknown)";
            case 0xF1 -> "onion service descriptor is invalid";
            case 0xF2 -> "onion service introduction failed";
            case 0xF3 -> "onion service rendezvous failed";
            case 0xF4 -> "onion service needs client authorization";
            case 0xF5 -> "onion service client authorization is wrong";
            case 0xF6 -> "invalid onion address";
            case 0xF7 -> "onion service introduction timed out";
            default -> "SOCKS5 reply " + code;
        };
        return meaning + " (SOCKS5 reply 0x" + Integer.toHexString(code) + ")";
    }

    private static TorException proxyFailure(String host, InetSocketAddress proxy, Throwable cause) {
        if (cause instanceof ProxyConnectException) {
            return new TorException("tor could not reach " + host + ": " + socksFailure(cause.getMessage()), cause);
        }
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
            if (cause instanceof ProxyConnectException) {
                result.completeExceptionally(proxyFailure(host, null, cause));
            } else {
                result.completeExceptionally(new TorException("request to " + host + " failed: " + cause.getMessage(), cause));
            }
            context.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            result.completeExceptionally(new TorException(host + " closed the connection before a response"));
            context.fireChannelInactive();
        }
    }
}
