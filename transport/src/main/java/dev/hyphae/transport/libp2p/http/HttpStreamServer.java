package dev.hyphae.transport.libp2p.http;

import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Serves HTTP/1.1 on the streams remotes open with {@value HttpProtocol#ID}: register it with
 * {@code Libp2pHost.registerProtocol(HttpProtocol.ID, server)}. Each stream gets its own
 * {@link HttpServerCodec}, an aggregator that answers a body over the limit with 413 and ends the
 * stream, a deadline for the whole request to arrive, and the handler made for that stream, which
 * reads {@link io.netty.handler.codec.http.FullHttpRequest}s. The stream ends once the response is
 * written: one request per stream. A malformed request reaches the
 * handler with a failed decoder result; whatever happens, only that stream ends.
 */
public final class HttpStreamServer implements ProtocolSelected {
    private final int maxBodyBytes;
    private final Duration requestTimeout;
    private final Function<MuxedStream, ChannelHandler> handlers;

    /**
     * @param maxBodyBytes   the largest request body accepted
     * @param requestTimeout how long a request may take to arrive in full
     * @param handlers       makes the handler of one stream (it may ask the stream who the peer is)
     */
    public HttpStreamServer(int maxBodyBytes, Duration requestTimeout, Function<MuxedStream, ChannelHandler> handlers) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeout = requestTimeout;
        this.handlers = Objects.requireNonNull(handlers, "handlers");
    }

    @Override
    public void selected(ChannelHandlerContext ctx, String protocol) {
        ChannelHandler handler = handlers.apply((MuxedStream) ctx.channel());
        ctx.pipeline().addAfter(ctx.name(), "http-codec", new HttpServerCodec())
            .addAfter("http-codec", "http-one-exchange", new OneExchangePerStream())
            .addAfter("http-one-exchange", "http-aggregator", new BodyLimit(maxBodyBytes))
            .addAfter("http-aggregator", "http-deadline", new RequestDeadline(requestTimeout))
            .addAfter("http-deadline", "http-handler", handler);
    }
}
