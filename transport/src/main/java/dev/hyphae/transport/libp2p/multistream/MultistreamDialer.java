package dev.hyphae.transport.libp2p.multistream;

import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * The dialer (initiator) role of multistream-select 1.0: proposes protocols in order of
 * preference until the listener echoes one. The header and the first proposal leave in one write,
 * without waiting for the listener's header, because a js-libp2p listener stays silent until it
 * has read the dialer's header.
 */
public final class MultistreamDialer extends MultistreamNegotiation {

    private enum State { AWAITING_HEADER, AWAITING_ANSWER }

    private final List<String> proposals;
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
        super(onSelected, timeout);
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
                if (message.equals(proposed)) {
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
