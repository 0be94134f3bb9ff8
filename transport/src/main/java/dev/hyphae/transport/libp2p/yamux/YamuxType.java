package dev.hyphae.transport.libp2p.yamux;

/** The frame types of the yamux header's Type field. */
public enum YamuxType {
    /** Carries stream data; the Length field is the payload size. */
    DATA(0),
    /** Grows the sender's receive window; the Length field is the delta. */
    WINDOW_UPDATE(1),
    /** Keep-alive and RTT measurement; the Length field is an opaque value echoed back. */
    PING(2),
    /** Session termination; the Length field is an error code. */
    GO_AWAY(3);

    private static final YamuxType[] BY_CODE = values();

    private final int code;

    YamuxType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the type for a wire code, or throws {@link YamuxProtocolException} for an unknown code. */
    public static YamuxType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new YamuxProtocolException(GoAwayCode.PROTOCOL_ERROR, "unknown frame type " + code);
        }
        return BY_CODE[code];
    }
}
