package dev.hyphae.cli;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a node's libp2p connections send and receive on the socket, encrypted and
 * framed (Noise, yamux), as they cross the wire. It sits first in each connection's pipeline once
 * the host admits the connection, so the few hundred bytes of each handshake before are not counted.
 */
@ChannelHandler.Sharable
final class WireCounter extends ChannelDuplexHandler {
    static final String NAME = "testnet-wire-counter";

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            received.add(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf buf) {
            sent.add(buf.readableBytes());
        }
        super.write(ctx, msg, promise);
    }

    long received() {
        return received.sum();
    }

    long sent() {
        return sent.sum();
    }
}
