package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;

/** A test protocol: the listener echoes every byte; the dialer collects what comes back. */
final class EchoProtocol {

    static final String ID = "/hyphae/test/echo/1.0.0";

    private EchoProtocol() {
    }

    static ProtocolSelected server() {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "echo", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                c.writeAndFlush(msg);
            }
        });
    }

    static ProtocolSelected client(ByteArrayOutputStream received) {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "collect", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                synchronized (received) {
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                }
                buf.release();
            }
        });
    }
}
