package dev.hyphae.transport.libp2p.yamux;

import io.netty.handler.codec.DecoderException;

/** A peer broke the yamux protocol; the session answers with Go Away carrying {@link #code()} and closes. */
public final class YamuxProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final GoAwayCode code;

    public YamuxProtocolException(GoAwayCode code, String reason) {
        super(reason);
        this.code = code;
    }

    public GoAwayCode code() {
        return code;
    }
}
