package dev.hyphae.transport.libp2p.multistream;

import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * The listener (responder) role of multistream-select 1.0: answers the dialer's header with its
 * own, then echoes the first proposal it supports, refuses others with {@code na}, and answers
 * {@code ls} with its protocol list.
 */
public final class MultistreamListener extends MultistreamNegotiation {

    /** A dialer that keeps proposing unknown protocols is cut off after this many. */
    static final int MAX_PROPOSALS = 64;

    private enum State { AWAITING_HEADER, AWAITING_PROPOSAL }

    private final List<String> supported;
    private State state = State.AWAITING_HEADER;
    private int proposals;

    /**
     * @param supported the protocols this side speaks, in the order {@code ls} lists them
     * @param onSelected installs the handlers of the agreed protocol
     */
    public MultistreamListener(List<String> supported, ProtocolSelected onSelected) {
        this(supported, onSelected, DEFAULT_TIMEOUT);
    }

    /** As above, with a limit on how long the negotiation may take before the channel is closed. */
    public MultistreamListener(List<String> supported, ProtocolSelected onSelected, java.time.Duration timeout) {
        super(onSelected, timeout);
        this.supported = List.copyOf(supported);
    }

    @Override
    void onMessage(ChannelHandlerContext ctx, String message) {
        switch (state) {
            case AWAITING_HEADER:
                if (!message.equals(MultistreamMessages.PROTOCOL_ID)) {
                    throw new MultistreamException("dialer sent '" + message + "' instead of the header");
                }
                state = State.AWAITING_PROPOSAL;
                ctx.writeAndFlush(MultistreamMessages.encode(ctx.alloc(), MultistreamMessages.PROTOCOL_ID));
                return;
            case AWAITING_PROPOSAL:
                if (++proposals > MAX_PROPOSALS) {
                    throw new MultistreamException("dialer made more than " + MAX_PROPOSALS + " proposals");
                }
                if (message.equals(MultistreamMessages.LS)) {
                    ctx.writeAndFlush(MultistreamMessages.encodeList(ctx.alloc(), supported));
                } else if (supported.contains(message)) {
                    ctx.writeAndFlush(MultistreamMessages.encode(ctx.alloc(), message));
                    select(ctx, message);
                } else {
                    ctx.writeAndFlush(MultistreamMessages.encode(ctx.alloc(), MultistreamMessages.NA));
                }
                return;
            default:
                throw new IllegalStateException(state.name());
        }
    }
}
