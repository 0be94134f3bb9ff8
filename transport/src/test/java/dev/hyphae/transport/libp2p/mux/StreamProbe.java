package dev.hyphae.transport.libp2p.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.ByteArrayOutputStream;

/** Records what one stream receives; optionally echoes everything back once the remote half-closes. */
public final class StreamProbe extends ChannelInboundHandlerAdapter {
    private final boolean echo;
    private final boolean autoRead;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Channel channel;
    private boolean inputShutdown;
    private boolean reset;
    private boolean inactive;

    public StreamProbe(boolean echo, boolean autoRead) {
        this.echo = echo;
        this.autoRead = autoRead;
    }

    public static StreamProbe recorder() {
        return new StreamProbe(false, true);
    }

    public static StreamProbe echo() {
        return new StreamProbe(true, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        channel.config().setAutoRead(autoRead);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            received.writeBytes(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputShutdown = true;
            if (echo) {
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(received.toByteArray()));
                ((DuplexChannel) ctx.channel()).shutdownOutput();
            }
        } else if (evt == StreamResetEvent.INSTANCE) {
            reset = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        ctx.fireChannelInactive();
    }

    public MuxedStream stream() {
        return (MuxedStream) channel;
    }

    public byte[] received() {
        return received.toByteArray();
    }

    public boolean inputShutdown() {
        return inputShutdown;
    }

    public boolean wasReset() {
        return reset;
    }

    public boolean inactive() {
        return inactive;
    }
}
