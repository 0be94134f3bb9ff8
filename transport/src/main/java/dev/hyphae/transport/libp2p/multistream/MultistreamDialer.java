package dev.hyphae.transport.libp2p.multistream;

import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * The dialer (initiator) role of multistream-select 1.0: proposes protocols in order of
 * preference until the listener echoes one. The header and the first proposal leave in one write,
 * without waiting for the listener's header, because a js-libp2p listener stays silent until it
 * has read the dialer's header.
 *
 * <p>An {@linkplain #optimistic optimistic} dialer proposes one protocol and lets that protocol's
 * handlers write right after the proposal, without waiting a round trip for the listener's echo
 * (a listener reads what follows the proposal as the protocol's data); the echo is checked when it
 * arrives, and a refusal closes the stream.
 */
public final class MultistreamDialer extends MultistreamNegotiation {

    private enum State { AWAITING_HEADER, AWAITING_ANSWER }

    private final List<String> proposals;
    private final boolean optimistic;
    private State state = State.AWAITING_HEADER;
    private int next;
    private boolean started;

    /**
     * @param proposals protocols in order of preference, at least one
     * @param onSelected installs the handlers of the agreed protocol
     */
    public MultistreamDialer(List<String> proposals, ProtocolSelected onSelected) {
        this(proposals, onSelected, DEFAULT_TIMEOUT);
    }

    /** As above, with a limit on how long the negotiation may take before the channel is closed. */
    public MultistreamDialer(List<String> proposals, ProtocolSelected onSelected, java.time.Duration timeout) {
        this(proposals, onSelected, timeout, false);
    }

    private MultistreamDialer(List<String> proposals, ProtocolSelected onSelected, java.time.Duration timeout,
                              boolean optimistic) {
        super(onSelected, timeout);
        this.optimistic = optimistic;
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("the dialer needs at least one protocol to propose");
        }
        for (String p : proposals) {
            if (p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MultistreamMessages.MAX_NAME_BYTES
                || p.isEmpty() || p.equals(MultistreamMessages.NA) || p.equals(MultistreamMessages.LS)) {
                throw new IllegalArgumentException("cannot propose protocol '" + p + "'");
            }
        }
        this.proposals = List.copyOf(proposals);
    }

    /**
     * A dialer that proposes {@code protocol} only and installs its handlers at once, so that they
     * can write before the listener's answer; {@link #result()} completes when the answer agrees.
     */
    public static MultistreamDialer optimistic(String protocol, ProtocolSelected onSelected) {
        return new MultistreamDialer(List.of(protocol), onSelected, DEFAULT_TIMEOUT, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        ctx.writeAndFlush(MultistreamMessages.encode(ctx.alloc(), MultistreamMessages.PROTOCOL_ID, proposals.get(0)));
        if (optimistic) {
            installEarly(ctx, proposals.get(0));
        }
    }

    @Override
    void onMessage(ChannelHandlerContext ctx, String message) {
        switch (state) {
            case AWAITING_HEADER:
                if (!message.equals(MultistreamMessages.PROTOCOL_ID)) {
                    throw new MultistreamException("listener sent '" + message + "' instead of the header");
                }
                state = State.AWAITING_ANSWER;
                return;
            case AWAITING_ANSWER:
                String proposed = proposals.get(next);
                if (message.equals(proposed) && optimistic) {
                    confirm(ctx, proposed);
                } else if (message.equals(proposed)) {
                    select(ctx, proposed);
                } else if (message.equals(MultistreamMessages.NA)) {
                    next++;
                    if (next == proposals.size()) {
                        throw new MultistreamException("listener refused every protocol: " + proposals);
                    }
                    ctx.writeAndFlush(MultistreamMessages.encode(ctx.alloc(), proposals.get(next)));
                } else {
                    throw new MultistreamException("listener answered '" + message + "' to '" + proposed + "'");
                }
                return;
            default:
                throw new IllegalStateException(state.name());
        }
    }
}
