package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.mux.MuxedSession;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The yamux session of one connection: dispatches frames to streams, opens and accepts streams,
 * answers and sends pings, and ends the session with Go Away. Sits after {@link YamuxFrameDecoder}
 * and {@link YamuxFrameEncoder}. Any protocol violation by the peer sends Go Away with the matching
 * code and closes the connection; nothing is propagated further down the pipeline.
 */
public final class YamuxSession extends ChannelDuplexHandler implements MuxedSession {
    private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

    private final Channel connection;
    private final boolean client;
    private final ChannelHandler inboundStreamHandler;
    private final YamuxConfig config;

    private ChannelHandlerContext ctx;
    private final Map<Integer, YamuxStreamChannel> streams = new HashMap<>();
    private volatile int streamCount;
    private long nextStreamId;
    private int inboundStreams;
    private boolean started;
    private boolean localGoAway;
    private boolean remoteGoAway;
    private boolean closed;

    private ScheduledFuture<?> keepAlive;
    private long nextPingOpaque;
    private boolean pingOutstanding;
    private long pingOpaque;
    private long pingSentAt;
    private Promise<Duration> pingPromise;
    private volatile long rttNanos;

    /**
     * @param client true on the dialling side, which uses odd stream ids
     * @param inboundStreamHandler added to each stream the remote opens; must be {@code @Sharable}
     */
    public YamuxSession(Channel connection, boolean client, ChannelHandler inboundStreamHandler, YamuxConfig config) {
        this.connection = connection;
        this.client = client;
        this.inboundStreamHandler = inboundStreamHandler;
        this.config = config;
        this.nextStreamId = client ? 1 : 2;
    }

    // ---- MuxedSession ----

    @Override
    public Channel connection() {
        return connection;
    }

    @Override
    public Future<MuxedStream> openStream(ChannelHandler streamHandler) {
        Promise<MuxedStream> promise = connection.eventLoop().newPromise();
        connection.eventLoop().execute(() -> open(streamHandler, promise));
        return promise;
    }

    @Override
    public Future<Void> goAway() {
        Promise<Void> promise = connection.eventLoop().newPromise();
        connection.closeFuture().addListener(f -> promise.trySuccess(null));
        connection.eventLoop().execute(() -> {
            if (ctx == null || closed) {
                connection.close();
                return;
            }
            if (!localGoAway) {
                localGoAway = true;
                writeFrame(YamuxFrame.goAway(GoAwayCode.NORMAL));
                flush();
            }
            closeIfIdle();
        });
        return promise;
    }

    @Override
    public int streamCount() {
        return streamCount;
    }

    @Override
    public Optional<Duration> rtt() {
        long rtt = rttNanos;
        return rtt > 0 ? Optional.of(Duration.ofNanos(rtt)) : Optional.empty();
    }

    /** Sends a Ping and completes with the round-trip time; shares an outstanding ping if there is one. */
    public Future<Duration> ping() {
        Promise<Duration> promise = connection.eventLoop().newPromise();
        connection.eventLoop().execute(() -> {
            if (ctx == null || closed) {
                promise.tryFailure(new IOException("connection closed"));
                return;
            }
            sendPing().addListener(f -> {
                if (f.isSuccess()) promise.trySuccess((Duration) f.getNow()); else promise.tryFailure(f.cause());
            });
        });
        return promise;
    }

    private void open(ChannelHandler streamHandler, Promise<MuxedStream> promise) {
        if (ctx == null || closed || !connection.isActive()) {
            promise.tryFailure(new IOException("connection closed"));
            return;
        }
        if (localGoAway || remoteGoAway) {
            promise.tryFailure(new IOException("session is going away; no new streams"));
            return;
        }
        if (nextStreamId > 0xFFFF_FFFFL) {
            promise.tryFailure(new IOException("stream ids exhausted"));
            return;
        }
        long unacknowledged = streams.values().stream().filter(s -> s.state() == YamuxStreamState.SYN_SENT).count();
        if (unacknowledged >= config.maxAckBacklog()) {
            promise.tryFailure(new IOException("too many streams await acknowledgement (" + unacknowledged + ")"));
            return;
        }
        int id = (int) nextStreamId;
        nextStreamId += 2;
        YamuxStreamChannel stream = new YamuxStreamChannel(this, id, true, YamuxStreamState.SYN_SENT, config);
        addStream(stream);
        // Like js: open with a Window Update carrying SYN and delta 0.
        writeFrame(YamuxFrame.windowUpdate(YamuxFlags.SYN, id, 0));
        flush();
        stream.pipeline().addLast(streamHandler);
        connection.eventLoop().register(stream).addListener(f -> {
            if (f.isSuccess()) {
                promise.trySuccess(stream);
            } else {
                promise.tryFailure(f.cause());
                stream.reset();
            }
        });
    }

    // ---- pipeline events ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        long interval = config.keepAliveInterval().toNanos();
        keepAlive = ctx.executor().scheduleAtFixedRate(this::keepAliveTick, interval, interval, TimeUnit.NANOSECONDS);
        // Like js: ping at once, so that an RTT is known for window growth.
        sendPing();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof YamuxFrame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        YamuxFrame frame = (YamuxFrame) msg;
        try {
            if (!closed) {
                handle(frame);
            }
        } catch (YamuxProtocolException e) {
            fail(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("yamux session failed on {}", frame, e);
            fail(GoAwayCode.INTERNAL_ERROR, "internal error: " + e);
        } finally {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof YamuxProtocolException) {
                fail(((YamuxProtocolException) t).code(), t.getMessage());
                return;
            }
        }
        if (cause instanceof IOException) {
            LOG.debug("connection {} failed: {}", connection, cause.toString());
            closeNow();
        } else {
            LOG.warn("closing yamux connection {} after unexpected error", connection, cause);
            fail(GoAwayCode.INTERNAL_ERROR, cause.toString());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closed) {
            for (YamuxStreamChannel stream : new ArrayList<>(streams.values())) {
                if (!ctx.channel().isWritable()) {
                    break;
                }
                stream.onConnectionWritable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shutDown();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        shutDown();
    }

    // ---- frames ----

    private void handle(YamuxFrame frame) {
        switch (frame.type()) {
            case DATA, WINDOW_UPDATE -> handleStreamFrame(frame);
            case PING -> handlePing(frame);
            case GO_AWAY -> handleGoAway(frame);
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private void handleStreamFrame(YamuxFrame frame) {
        int id = frame.streamId();
        if (id == 0) {
            throw protocolError(frame.type() + " frame on the session id 0");
        }
        YamuxStreamChannel stream = streams.get(id);
        if (frame.hasFlag(YamuxFlags.RST)) {
            if (stream != null) {
                stream.onRemoteReset();
            }
            return;
        }
        if (frame.hasFlag(YamuxFlags.SYN)) {
            if (stream != null) {
                throw protocolError("SYN for stream " + Integer.toUnsignedString(id) + ", which is already open");
            }
            boolean remoteOdd = (id & 1) == 1;
            if (remoteOdd == client) {
                throw protocolError("remote opened stream " + Integer.toUnsignedString(id)
                        + " with our parity: both endpoints act as " + (client ? "clients" : "servers"));
            }
            stream = accept(id);
            if (stream == null) {
                return;
            }
        }
        if (stream == null) {
            // A stream we already closed or reset; the remote may not have seen that yet.
            LOG.trace("ignoring {} for unknown stream", frame);
            return;
        }
        if (frame.hasFlag(YamuxFlags.ACK)) {
            stream.onAck();
        }
        if (frame.type() == YamuxType.WINDOW_UPDATE) {
            stream.onWindowUpdate(frame.length());
        } else {
            stream.onData(frame.content().retain());
        }
        if (frame.hasFlag(YamuxFlags.FIN)) {
            stream.onRemoteFin();
        }
    }

    /** Accepts an inbound stream, or resets it and returns null when over the limit or going away. */
    private YamuxStreamChannel accept(int id) {
        if (localGoAway || inboundStreams >= config.maxInboundStreams()) {
            LOG.debug("refusing stream {} on {}: {}", Integer.toUnsignedString(id), connection,
                    localGoAway ? "going away" : "inbound stream limit " + config.maxInboundStreams());
            writeFrame(YamuxFrame.windowUpdate(YamuxFlags.RST, id, 0));
            flush();
            return null;
        }
        YamuxStreamChannel stream = new YamuxStreamChannel(this, id, false, YamuxStreamState.SYN_RECEIVED, config);
        addStream(stream);
        inboundStreams++;
        writeFrame(YamuxFrame.windowUpdate(YamuxFlags.ACK, id, 0));
        flush();
        stream.onAccepted();
        stream.pipeline().addLast(inboundStreamHandler);
        connection.eventLoop().register(stream).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.warn("could not register inbound stream {}", stream, f.cause());
                stream.reset();
            }
        });
        return stream;
    }

    private void handlePing(YamuxFrame frame) {
        if (frame.flags() == YamuxFlags.SYN) {
            writeFrame(YamuxFrame.ping(YamuxFlags.ACK, frame.length()));
            flush();
        } else if (frame.flags() == YamuxFlags.ACK) {
            if (!pingOutstanding || frame.length() != pingOpaque) {
                throw protocolError("unsolicited ping ACK with opaque value " + frame.length());
            }
            pingOutstanding = false;
            long rtt = Math.max(1, nanoTime() - pingSentAt);
            rttNanos = rtt;
            Promise<Duration> promise = pingPromise;
            pingPromise = null;
            promise.trySuccess(Duration.ofNanos(rtt));
        } else {
            throw protocolError("ping with flags " + YamuxFlags.describe(frame.flags()));
        }
    }

    private void handleGoAway(YamuxFrame frame) {
        GoAwayCode code = GoAwayCode.fromCode(frame.length());
        remoteGoAway = true;
        if (code == GoAwayCode.NORMAL) {
            LOG.debug("remote {} is going away; {} streams remain", connection, streams.size());
            closeIfIdle();
        } else {
            LOG.warn("remote {} closed the session with Go Away {} ({})", connection, code, frame.length());
            closeNow();
        }
    }

    // ---- keep-alive ----

    private Future<Duration> sendPing() {
        if (pingOutstanding) {
            return pingPromise;
        }
        pingOutstanding = true;
        pingOpaque = nextPingOpaque;
        nextPingOpaque = (nextPingOpaque + 1) & 0xFFFF_FFFFL;
        pingSentAt = nanoTime();
        pingPromise = ctx.executor().newPromise();
        writeFrame(YamuxFrame.ping(YamuxFlags.SYN, pingOpaque));
        flush();
        return pingPromise;
    }

    private void keepAliveTick() {
        if (closed) {
            return;
        }
        if (pingOutstanding && nanoTime() - pingSentAt >= config.keepAliveInterval().toNanos()) {
            fail(GoAwayCode.INTERNAL_ERROR, "keep-alive ping unanswered for " + config.keepAliveInterval());
            return;
        }
        sendPing();
    }

    // ---- for streams ----

    Logger log() {
        return LOG;
    }

    long nanoTime() {
        return config.nanoClock().getAsLong();
    }

    long rttNanos() {
        return rttNanos;
    }

    long streamCloseTimeoutNanos() {
        return config.streamCloseTimeout().toNanos();
    }

    boolean isActive() {
        return !closed && ctx != null;
    }

    /** False while the connection's outbound buffer is above its high water mark; streams then wait. */
    boolean connectionWritable() {
        return connection.isWritable();
    }

    void writeFrame(YamuxFrame frame) {
        if (ctx == null || closed) {
            frame.release();
            return;
        }
        ctx.write(frame);
    }

    void flush() {
        if (ctx != null && !closed) {
            ctx.flush();
        }
    }

    private void addStream(YamuxStreamChannel stream) {
        streams.put(stream.wireId(), stream);
        streamCount = streams.size();
    }

    void streamEnded(YamuxStreamChannel stream) {
        if (streams.remove(stream.wireId(), stream)) {
            streamCount = streams.size();
            if (!stream.isOutbound()) {
                inboundStreams--;
            }
            closeIfIdle();
        }
    }

    // ---- ending ----

    private void closeIfIdle() {
        if (!closed && (localGoAway || remoteGoAway) && streams.isEmpty()) {
            closeNow();
        }
    }

    private YamuxProtocolException protocolError(String reason) {
        return new YamuxProtocolException(GoAwayCode.PROTOCOL_ERROR, reason);
    }

    /** Ends the session because of {@code reason}: Go Away with {@code code}, then close. */
    private void fail(GoAwayCode code, String reason) {
        if (closed || ctx == null) {
            return;
        }
        LOG.warn("closing yamux connection {}: {} ({})", connection, reason, code);
        ctx.writeAndFlush(YamuxFrame.goAway(code));
        localGoAway = true;
        closeNow();
    }

    private void closeNow() {
        if (ctx != null) {
            shutDown();
            ctx.close();
        }
    }

    private void shutDown() {
        if (closed) {
            return;
        }
        closed = true;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (pingPromise != null) {
            pingPromise.tryFailure(new IOException("connection closed"));
            pingPromise = null;
        }
        for (YamuxStreamChannel stream : new ArrayList<>(streams.values())) {
            stream.onConnectionLost();
        }
        streams.clear();
        streamCount = 0;
    }
}
