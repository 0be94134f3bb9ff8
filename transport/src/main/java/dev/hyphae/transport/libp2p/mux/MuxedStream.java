package dev.hyphae.transport.libp2p.mux;

import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;

/**
 * One stream of a muxed connection, as a Netty child channel of the connection.
 * <ul>
 *   <li>{@link #shutdownOutput()} half-closes: the remote sees end of input after all data
 *       written before it (yamux FIN).</li>
 *   <li>The remote's half-close arrives as the user event
 *       {@link io.netty.channel.socket.ChannelInputShutdownEvent#INSTANCE}.</li>
 *   <li>{@link #close()} half-closes if needed and releases the stream; unsent data is dropped.</li>
 *   <li>{@link #reset()} aborts both directions; the remote's reset arrives as
 *       {@link StreamResetEvent#INSTANCE} followed by the channel closing.</li>
 * </ul>
 * Writes are accepted only within the remote's receive window; the rest stays queued and the
 * channel becomes unwritable above its write buffer high water mark.
 */
public interface MuxedStream extends DuplexChannel {

    /** True if this side opened the stream. */
    boolean isOutbound();

    /** The muxer's id for the stream, for logs. */
    long streamId();

    /** Aborts the stream in both directions and closes the channel. */
    ChannelFuture reset();
}
