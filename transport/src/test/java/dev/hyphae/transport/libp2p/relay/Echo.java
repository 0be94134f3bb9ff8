package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/** The test echo protocol over a connection: the server echoes and half-closes after the remote did. */
final class Echo {

    static final String ID = "/hyphae/test/echo/1.0.0";

    private Echo() {
    }

    static ProtocolSelected server() {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "echo", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                c.writeAndFlush(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    ((MuxedStream) c.channel()).shutdownOutput();
                }
            }
        });
    }

    /**
     * Sends {@code data}, half-closes, and completes with everything the remote sent until it
     * ended its side; fails if the stream is reset or closed first.
     */
    static CompletableFuture<byte[]> roundTrip(Connection connection, byte[] data) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        connection.openStream(ID, (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "collect",
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                    buf.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                    if (evt == ChannelInputShutdownEvent.INSTANCE) {
                        result.complete(received.toByteArray());
                        c.close();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext c) {
                    result.completeExceptionally(new IllegalStateException(
                        "echo stream closed after " + received.size() + " bytes"));
                }
            })).thenAccept(stream -> stream.writeAndFlush(Unpooled.wrappedBuffer(data))
                .addListener(f -> stream.shutdownOutput()))
            .exceptionally(e -> {
                result.completeExceptionally(e);
                return null;
            });
        return result;
    }
}
