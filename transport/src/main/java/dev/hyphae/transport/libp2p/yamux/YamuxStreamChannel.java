package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.StreamResetEvent;
import dev.hyphae.transport.libp2p.mux.StreamResetException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One yamux stream as a child channel of the connection. All state is touched only on the
 * connection's event loop. Sending stays within the remote's window (the rest waits in the
 * channel's outbound buffer); received data is credited back to the remote as the pipeline reads it.
 */
final class YamuxStreamChannel extends AbstractChannel implements MuxedStream {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final YamuxSession session;
    private final int id;
    private final boolean outbound;
    private final int maxFrameData;
    private final int maxWindow;
    private final ChannelConfig config = new DefaultChannelConfig(this);

    private YamuxStreamState state;
    private boolean open = true;

    private long sendWindow = YamuxConfig.INITIAL_WINDOW;
    private boolean finRequested;
    private ChannelPromise finPromise;

    /** Bytes the remote may still send before we grant more. */
    private long recvWindow = YamuxConfig.INITIAL_WINDOW;
    /** The window we aim to keep granted; doubles while the reader keeps up, up to maxWindow. */
    private long recvWindowTarget = YamuxConfig.INITIAL_WINDOW;
    /** Bytes received but not yet read by the pipeline. */
    private long buffered;
    private long lastWindowUpdateNanos;
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private boolean remoteFinPending;
    private boolean inputShutdown;
    private boolean readRequested;
    private boolean delivering;
    private ScheduledFuture<?> closeTimeout;

    YamuxStreamChannel(YamuxSession session, int id, boolean outbound, YamuxStreamState initial, YamuxConfig config) {
        super(session.connection());
        this.session = session;
        this.id = id;
        this.outbound = outbound;
        this.state = initial;
        this.maxFrameData = config.maxFrameData();
        this.maxWindow = config.maxWindow();
        this.lastWindowUpdateNanos = session.nanoTime();
        this.config.setAllocator(session.connection().config().getAllocator());
    }

    int wireId() {
        return id;
    }

    YamuxStreamState state() {
        return state;
    }

    @Override
    public long streamId() {
        return Integer.toUnsignedLong(id);
    }

    @Override
    public boolean isOutbound() {
        return outbound;
    }

    // ---- frames from the session ----

    void onAck() {
        if (state == YamuxStreamState.SYN_SENT) {
            state = YamuxStreamState.ESTABLISHED;
        }
    }

    void onAccepted() {
        if (state == YamuxStreamState.SYN_RECEIVED) {
            state = YamuxStreamState.ESTABLISHED;
        }
    }

    /** The connection can take more bytes again: send what waits within the window. */
    void onConnectionWritable() {
        if (open && state.localOpen()) {
            ((StreamUnsafe) unsafe()).resumeWrite();
        }
    }

    void onWindowUpdate(long delta) {
        if (delta == 0) {
            return;
        }
        sendWindow += delta;
        if (sendWindow > 0xFFFF_FFFFL) {
            throw new YamuxProtocolException(GoAwayCode.PROTOCOL_ERROR,
                    "send window of stream " + streamId() + " overflows 32 bits");
        }
        if (open && state.localOpen()) {
            ((StreamUnsafe) unsafe()).resumeWrite();
        }
    }

    /** Takes ownership of {@code data}. */
    void onData(ByteBuf data) {
        int length = data.readableBytes();
        if (length > recvWindow) {
            data.release();
            throw new YamuxProtocolException(GoAwayCode.PROTOCOL_ERROR, "receive window exceeded on stream "
                    + streamId() + ": " + length + " bytes with " + recvWindow + " left");
        }
        recvWindow -= length;
        if (!state.remoteOpen()) {
            data.release();
            session.log().debug("data after FIN on stream {}; resetting it", streamId());
            reset();
            return;
        }
        if (length == 0) {
            data.release();
            return;
        }
        buffered += length;
        if (!open || inputShutdown) {
            data.release();
            consumed(length);
            return;
        }
        inbound.add(data);
        deliverInbound();
    }

    void onRemoteFin() {
        if (!state.remoteOpen()) {
            return;
        }
        state = state == YamuxStreamState.LOCAL_CLOSE ? YamuxStreamState.CLOSED : YamuxStreamState.REMOTE_CLOSE;
        if (state == YamuxStreamState.CLOSED) {
            ended();
        }
        if (open && !inputShutdown) {
            remoteFinPending = true;
            deliverInbound();
        }
    }

    void onRemoteReset() {
        abort();
    }

    void onConnectionLost() {
        abort();
    }

    private void abort() {
        if (state.isTerminal() && !open) {
            return;
        }
        boolean wasTerminal = state.isTerminal();
        state = YamuxStreamState.RESET;
        if (!wasTerminal) {
            ended();
        }
        if (open) {
            pipeline().fireUserEventTriggered(StreamResetEvent.INSTANCE);
            failFin(new StreamResetException("stream " + streamId() + " was reset"));
            close();
        }
    }

    private void ended() {
        if (closeTimeout != null) {
            closeTimeout.cancel(false);
            closeTimeout = null;
        }
        session.streamEnded(this);
    }

    // ---- reading ----

    private void deliverInbound() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (readRequested && open && (!inbound.isEmpty() || remoteFinPending)) {
                readRequested = false;
                long read = 0;
                ByteBuf data;
                while (open && (data = inbound.poll()) != null) {
                    read += data.readableBytes();
                    pipeline().fireChannelRead(data);
                }
                if (read > 0) {
                    pipeline().fireChannelReadComplete();
                    consumed(read);
                }
                if (open && remoteFinPending && inbound.isEmpty()) {
                    remoteFinPending = false;
                    inputShutdown = true;
                    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
                    if (open && state == YamuxStreamState.CLOSED) {
                        close();
                    }
                }
            }
        } finally {
            delivering = false;
        }
    }

    /** Credits {@code read} bytes back to the remote, growing the window while the reader keeps up. */
    private void consumed(long read) {
        buffered -= read;
        if (!state.remoteOpen() || !session.isActive()) {
            return;
        }
        long delta = recvWindowTarget - recvWindow - buffered;
        if (delta < recvWindowTarget / 2) {
            return;
        }
        long now = session.nanoTime();
        long rtt = session.rttNanos();
        if (rtt > 0 && recvWindowTarget < maxWindow && now - lastWindowUpdateNanos < 4 * rtt) {
            recvWindowTarget = Math.min(maxWindow, recvWindowTarget * 2);
            delta = recvWindowTarget - recvWindow - buffered;
        }
        lastWindowUpdateNanos = now;
        recvWindow += delta;
        session.writeFrame(YamuxFrame.windowUpdate(0, id, delta));
        session.flush();
    }

    long receiveWindowTarget() {
        return recvWindowTarget;
    }

    // ---- writing ----

    private void writeQueued(ChannelOutboundBuffer in) {
        boolean wrote = false;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            if (!(msg instanceof ByteBuf)) {
                in.remove(new UnsupportedOperationException("streams carry ByteBufs, not " + msg.getClass().getName()));
                continue;
            }
            if (!state.localOpen()) {
                in.remove(state == YamuxStreamState.RESET
                        ? new StreamResetException("stream " + streamId() + " was reset")
                        : new ClosedChannelException());
                continue;
            }
            ByteBuf buf = (ByteBuf) msg;
            int readable = buf.readableBytes();
            if (readable == 0) {
                in.remove();
                continue;
            }
            if (sendWindow == 0) {
                break; // resumed by the remote's Window Update
            }
            if (!session.connectionWritable()) {
                if (wrote) {
                    // Flushing may drain the connection at once; its writability event cannot
                    // resume us while we are inside this flush, so look again.
                    session.flush();
                    wrote = false;
                }
                if (!session.connectionWritable()) {
                    break; // resumed by YamuxSession when the connection drains
                }
            }
            int n = (int) Math.min(Math.min(readable, sendWindow), maxFrameData);
            session.writeFrame(YamuxFrame.data(0, id, buf.retainedSlice(buf.readerIndex(), n)));
            sendWindow -= n;
            in.removeBytes(n);
            wrote = true;
        }
        if (finRequested && in.isEmpty() && state.localOpen()) {
            sendFin();
            wrote = false;
        }
        if (wrote) {
            session.flush();
        }
    }

    private void sendFin() {
        session.writeFrame(YamuxFrame.windowUpdate(YamuxFlags.FIN, id, 0));
        session.flush();
        state = state == YamuxStreamState.REMOTE_CLOSE ? YamuxStreamState.CLOSED : YamuxStreamState.LOCAL_CLOSE;
        if (state == YamuxStreamState.CLOSED) {
            ended();
        }
        if (finPromise != null) {
            finPromise.trySuccess();
        }
        if (open && state == YamuxStreamState.CLOSED && inputShutdown) {
            close();
        }
    }

    private void failFin(Throwable cause) {
        if (finPromise != null) {
            finPromise.tryFailure(cause);
        }
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            loop.execute(() -> shutdownOutput(promise));
            return promise;
        }
        if (finRequested || !state.localOpen()) {
            if (finPromise != null && finPromise != promise) {
                finPromise.addListener(f -> {
                    if (f.isSuccess()) promise.trySuccess(); else promise.tryFailure(f.cause());
                });
            } else if (state == YamuxStreamState.RESET) {
                promise.tryFailure(new StreamResetException("stream " + streamId() + " was reset"));
            } else {
                promise.trySuccess();
            }
            return promise;
        }
        finRequested = true;
        finPromise = promise;
        flush();
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        if (state.localOpen() && (buffer == null || buffer.isEmpty())) {
            sendFin();
        }
        return promise;
    }

    @Override
    public boolean isOutputShutdown() {
        return finRequested || !state.localOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || !open;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    /** Stops delivering data locally; yamux has no wire signal for it, so later data is dropped and credited. */
    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            loop.execute(() -> shutdownInput(promise));
            return promise;
        }
        inputShutdown = true;
        remoteFinPending = false;
        discardInbound();
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return isInputShutdown() && isOutputShutdown();
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        shutdownInput();
        return shutdownOutput(promise);
    }

    @Override
    public ChannelFuture reset() {
        EventLoop loop = eventLoop();
        if (!loop.inEventLoop()) {
            ChannelPromise promise = newPromise();
            loop.execute(() -> reset().addListener(f -> promise.trySuccess()));
            return promise;
        }
        if (!state.isTerminal()) {
            session.writeFrame(YamuxFrame.windowUpdate(YamuxFlags.RST, id, 0));
            session.flush();
            state = YamuxStreamState.RESET;
            ended();
        }
        failFin(new StreamResetException("stream " + streamId() + " was reset"));
        return close();
    }

    private void discardInbound() {
        long dropped = 0;
        ByteBuf data;
        while ((data = inbound.poll()) != null) {
            dropped += data.readableBytes();
            data.release();
        }
        if (dropped > 0) {
            consumed(dropped);
        }
    }

    // ---- AbstractChannel ----

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return parent().remoteAddress();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a stream cannot be bound");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        discardInbound();
        remoteFinPending = false;
        if (!state.isTerminal()) {
            if (state.localOpen()) {
                session.writeFrame(YamuxFrame.windowUpdate(YamuxFlags.FIN, id, 0));
                session.flush();
                state = state == YamuxStreamState.REMOTE_CLOSE ? YamuxStreamState.CLOSED : YamuxStreamState.LOCAL_CLOSE;
            }
            if (state == YamuxStreamState.CLOSED) {
                ended();
            } else {
                // Wait for the remote's FIN, crediting whatever it still sends, but not forever.
                closeTimeout = eventLoop().schedule(this::closeTimedOut,
                        session.streamCloseTimeoutNanos(), TimeUnit.NANOSECONDS);
            }
        }
        failFin(new ClosedChannelException());
    }

    private void closeTimedOut() {
        closeTimeout = null;
        if (!state.isTerminal()) {
            session.log().debug("stream {} got no FIN after close; resetting it", streamId());
            session.writeFrame(YamuxFrame.windowUpdate(YamuxFlags.RST, id, 0));
            session.flush();
            state = YamuxStreamState.RESET;
            session.streamEnded(this);
        }
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        deliverInbound();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        writeQueued(in);
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        // AbstractUnsafe releases the rejected message.
        throw new UnsupportedOperationException("streams carry ByteBufs, not " + msg.getClass().getName());
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public String toString() {
        return "YamuxStream(" + streamId() + (outbound ? " out" : " in") + ", " + state + ", " + parent() + ")";
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("streams are opened through the session"));
        }

        void resumeWrite() {
            flush0();
        }
    }
}
