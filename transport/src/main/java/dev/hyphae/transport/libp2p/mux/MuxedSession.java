package dev.hyphae.transport.libp2p.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Optional;

/** The muxer's side of one connection: opens streams and ends the session. Safe to call from any thread. */
public interface MuxedSession {

    /** The underlying (secured) connection. */
    Channel connection();

    /**
     * Opens a new outbound stream with {@code streamHandler} in its pipeline. The future fails
     * when the session is closed or going away, or when too many streams await acknowledgement.
     */
    Future<MuxedStream> openStream(ChannelHandler streamHandler);

    /**
     * Tells the remote that no new streams will be accepted (normal termination). Existing
     * streams continue; the connection is closed when the last one ends. The future completes
     * when the connection is closed.
     */
    Future<Void> goAway();

    /** Number of streams not yet fully closed. */
    int streamCount();

    /** The last measured round-trip time of the muxer's keep-alive, if one was measured. */
    Optional<Duration> rtt();
}
