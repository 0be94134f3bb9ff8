package dev.hyphae.transport.libp2p.http;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.StreamResetEvent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes one HTTP/1.1 request on a new {@value HttpProtocol#ID} stream of a connection and reads
 * the response. The request is written right after the stream's protocol proposal, without
 * waiting for the remote's agreement (a refusal closes the stream, which fails the exchange). The request goes out with {@code Connection: close}; the stream ends after the
 * response. Thread-safe; one instance serves any number of requests.
 */
public final class HttpStreamClient {
    private final Duration timeout;
    private final int maxResponseBytes;

    /**
     * @param timeout          how long the whole exchange (stream negotiation, request, response) may take
     * @param maxResponseBytes the largest response body accepted
     */
    public HttpStreamClient(Duration timeout, int maxResponseBytes) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Sends {@code request} (this call takes ownership of it) on a new stream of {@code connection}.
     * Completes with the full response, which the caller must release, or fails with
     * {@link HttpStreamException} when the stream cannot be opened, is reset or closes before a
     * whole response, the response is malformed or too large, or the timeout passes.
     */
    public CompletableFuture<FullHttpResponse> send(Connection connection, FullHttpRequest request) {
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            // HTTP/1.1 requires a Host header; the peer ID names the server on a libp2p stream.
            request.headers().set(HttpHeaderNames.HOST, connection.remotePeer().toBase58());
        }
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
        ResponseReader reader = new ResponseReader(result);
        ScheduledFuture<?> deadline = connection.channel().eventLoop().schedule(() -> {
            result.completeExceptionally(new HttpStreamException("no response from "
                + connection.remotePeer() + " within " + timeout.toMillis() + " ms"));
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        // Optimistic: the request follows the protocol proposal at once instead of a round trip later.
        CompletableFuture<MuxedStream> opened = connection.openStreamOptimistic(HttpProtocol.ID, (ctx, protocol) ->
            ctx.pipeline().addAfter(ctx.name(), "http-codec", new HttpClientCodec())
                .addAfter("http-codec", "http-aggregator", new HttpObjectAggregator(maxResponseBytes))
                .addAfter("http-aggregator", "http-response", reader));
        opened.whenComplete((stream, error) -> {
            if (error != null) {
                ReferenceCountUtil.release(request);
                result.completeExceptionally(new HttpStreamException("cannot open an HTTP stream to "
                    + connection.remotePeer() + ": " + error.getMessage(), error));
                return;
            }
            if (result.isDone()) {
                ReferenceCountUtil.release(request);
                return;
            }
            stream.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    result.completeExceptionally(new HttpStreamException("cannot send the request to "
                        + connection.remotePeer() + ": " + written.cause().getMessage(), written.cause()));
                }
            });
        });
        result.whenComplete((response, error) -> {
            deadline.cancel(false);
            if (error != null) {
                // A late or abandoned exchange: make sure its stream does not linger.
                opened.thenAccept(stream -> stream.eventLoop().execute(() -> {
                    if (stream.isOpen()) {
                        stream.reset();
                    }
                }));
            }
        });
        return result;
    }

    /** Completes the exchange with the first whole response, or fails it when the stream ends first. */
    private static final class ResponseReader extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<FullHttpResponse> result;

        ResponseReader(CompletableFuture<FullHttpResponse> result) {
            super(false);
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                response.release();
                fail(ctx, new HttpStreamException("malformed HTTP response", response.decoderResult().cause()));
                return;
            }
            if (!result.complete(response)) {
                response.release();
            }
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof StreamResetEvent) {
                result.completeExceptionally(new HttpStreamException("the peer reset the HTTP stream"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            result.completeExceptionally(new HttpStreamException("the HTTP stream closed before a whole response"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, new HttpStreamException("HTTP stream failed: " + cause.getMessage(), cause));
        }

        private void fail(ChannelHandlerContext ctx, HttpStreamException error) {
            result.completeExceptionally(error);
            if (ctx.channel() instanceof MuxedStream stream) {
                stream.reset();
            } else {
                ctx.close();
            }
        }
    }
}
