package dev.hyphae.node.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each whole request to the dispatcher and writes the answer. Reading pauses while a request
 * is answered, so pipelined requests are answered in order even when handlers finish out of order.
 * Installed after an HTTP/1.1 server codec and aggregator, on TCP connections and on libp2p streams.
 */
public final class MatrixChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixChannelHandler.class);

    /** The spec's recommended CORS headers, on every response. */
    private static final Map<String, String> CORS = Map.of(
            "Access-Control-Allow-Origin", "*",
            "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS",
            "Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization");

    private final RequestDispatcher dispatcher;
    private final String remote;
    private final String carrier;

    MatrixChannelHandler(RequestDispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.remote = null;
        this.carrier = "http";
    }

    private MatrixChannelHandler(RequestDispatcher dispatcher, String remote, String carrier) {
        this.dispatcher = java.util.Objects.requireNonNull(dispatcher, "dispatcher");
        this.remote = java.util.Objects.requireNonNull(remote, "remote");
        this.carrier = java.util.Objects.requireNonNull(carrier, "carrier");
    }

    /**
     * A handler for a channel whose peer is named otherwise than by an IP address, such as a
     * libp2p stream and its peer ID: {@code remote} stands in for the address (rate limits, logs).
     */
    public static MatrixChannelHandler forRemote(RequestDispatcher dispatcher, String remote) {
        return new MatrixChannelHandler(dispatcher, remote, IncomingRequest.UNKNOWN_CARRIER);
    }

    /**
     * As {@link #forRemote(RequestDispatcher, String)}, naming the {@code carrier} every request
     * of the channel arrived over ({@code libp2p}, {@code tor}), which handlers may read.
     */
    public static MatrixChannelHandler forRemote(RequestDispatcher dispatcher, String remote, String carrier) {
        return new MatrixChannelHandler(dispatcher, remote, carrier);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            MatrixException error = cause instanceof TooLongFrameException
                    ? MatrixException.tooLarge("The request line or headers are too long")
                    : new MatrixException(400, MatrixException.M_UNKNOWN, "Malformed HTTP request");
            ctx.writeAndFlush(toNetty(MatrixResponse.error(error), false)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(header ->
                headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
        IncomingRequest incoming = new IncomingRequest(request.method().name(), request.uri(), headers,
                ByteBufUtil.getBytes(request.content()),
                remote != null ? remote : remoteAddress(ctx.channel().remoteAddress()), carrier);
        ctx.channel().config().setAutoRead(false);
        dispatcher.dispatch(incoming).whenComplete((response, failure) -> ctx.executor().execute(() -> {
            MatrixResponse answer = response != null ? response : MatrixResponse.error(
                    new MatrixException(500, MatrixException.M_UNKNOWN, "Internal server error"));
            ctx.writeAndFlush(toNetty(answer, keepAlive)).addListener(written -> {
                if (!keepAlive || !written.isSuccess()) {
                    ctx.close();
                } else {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                }
            });
        }));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    static FullHttpResponse toNetty(MatrixResponse response, boolean keepAlive) {
        byte[] body = response.bodyBytes();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        CORS.forEach(out.headers()::set);
        response.headers().forEach(out.headers()::set);
        out.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return out;
    }

    private static String remoteAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
