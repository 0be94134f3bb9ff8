package dev.hyphae.transport.libp2p.yamux;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tunables of a yamux session.
 *
 * @param maxWindow the receive window a stream may grow to when the reader keeps up (js: 16 MiB)
 * @param maxInboundStreams streams the remote may have open at once; more are reset (js: 1000)
 * @param maxAckBacklog outbound streams not yet acknowledged before opening fails (spec: 256)
 * @param maxFrameData the largest Data payload this side sends in one frame
 * @param keepAliveInterval how often to ping; a ping unanswered for this long closes the connection
 * @param streamCloseTimeout how long a locally closed stream waits for the remote's FIN before RST
 * @param nanoClock monotonic clock for RTT and window growth
 */
public record YamuxConfig(
        int maxWindow,
        int maxInboundStreams,
        int maxAckBacklog,
        int maxFrameData,
        Duration keepAliveInterval,
        Duration streamCloseTimeout,
        LongSupplier nanoClock) {

    /** Every stream starts with this window on both sides; the spec fixes it. */
    public static final int INITIAL_WINDOW = 256 * 1024;

    public YamuxConfig {
        if (maxWindow < INITIAL_WINDOW) {
            throw new IllegalArgumentException("maxWindow must be at least the initial window of 256 KiB");
        }
        if (maxInboundStreams < 0 || maxAckBacklog < 1 || maxFrameData < 1) {
            throw new IllegalArgumentException("stream limits and frame size must be positive");
        }
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(streamCloseTimeout, "streamCloseTimeout");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()
                || streamCloseTimeout.isNegative() || streamCloseTimeout.isZero()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
    }

    /** Values matching js-libp2p's yamux defaults. */
    public static YamuxConfig defaults() {
        return new YamuxConfig(16 * 1024 * 1024, 1000, 256, 64 * 1024,
                Duration.ofSeconds(30), Duration.ofMinutes(5), System::nanoTime);
    }

    public YamuxConfig withMaxInboundStreams(int max) {
        return new YamuxConfig(maxWindow, max, maxAckBacklog, maxFrameData, keepAliveInterval, streamCloseTimeout, nanoClock);
    }

    public YamuxConfig withNanoClock(LongSupplier clock) {
        return new YamuxConfig(maxWindow, maxInboundStreams, maxAckBacklog, maxFrameData, keepAliveInterval, streamCloseTimeout, clock);
    }
}
