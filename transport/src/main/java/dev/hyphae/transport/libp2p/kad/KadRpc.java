package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends DHT requests the way js does: a new stream per request, one request, one response, then
 * the stream is closed.
 */
public final class KadRpc {

    private final String protocolId;
    private final int maxMessageSize;
    private final Duration timeout;

    public KadRpc(String protocolId, int maxMessageSize, Duration timeout) {
        this.protocolId = protocolId;
        this.maxMessageSize = maxMessageSize;
        this.timeout = timeout;
    }

    /** Sends {@code request} and completes with the response, or fails (refused, bad answer, timeout). */
    public CompletableFuture<Message> request(Connection connection, Message request) {
        KadRequestHandler handler = new KadRequestHandler();
        CompletableFuture<MuxedStream> stream = connection.openStream(protocolId, (ctx, p) -> {
            ctx.pipeline().addAfter(ctx.name(), "kad-frames", new KadFrameDecoder(maxMessageSize));
            ctx.pipeline().addAfter("kad-frames", "kad-request", handler);
        });
        stream.whenComplete((s, error) -> {
            if (error != null) {
                handler.response().completeExceptionally(error);
            } else {
                s.writeAndFlush(KadMessages.frame(s.alloc(), request)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        });
        CompletableFuture<Message> result = handler.response().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((m, error) -> {
            if (error instanceof TimeoutException) {
                stream.thenAccept(MuxedStream::reset);
            }
        });
        return result;
    }

    /** Sends a request that has no response (ADD_PROVIDER) and closes the stream once it is written. */
    public CompletableFuture<Void> send(Connection connection, Message request) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        connection.openStream(protocolId, (ctx, p) -> { }).whenComplete((s, error) -> {
            if (error != null) {
                written.completeExceptionally(error);
                return;
            }
            s.writeAndFlush(KadMessages.frame(s.alloc(), request)).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(f.cause());
                }
                s.close();
            });
        });
        return written.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
