package dev.hyphae.transport.libp2p.relay;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * Ends a relayed connection with the stream that carries it: a TCP socket closes when the remote
 * ends its side, and the hop or stop stream under a relayed connection must do the same, or the
 * connection above it would wait for frames that never come.
 */
@ChannelHandler.Sharable
final class RelayedStreams extends ChannelInboundHandlerAdapter {

    static final RelayedStreams CLOSE_ON_EOF = new RelayedStreams();

    private RelayedStreams() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
