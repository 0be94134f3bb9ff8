package dev.hyphae.transport.libp2p.yamux;

/** The error codes a Go Away frame carries in its Length field. */
public enum GoAwayCode {
    NORMAL(0),
    PROTOCOL_ERROR(1),
    INTERNAL_ERROR(2);

    private final int code;

    GoAwayCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Maps a wire code; codes this version does not know are reported as protocol errors by the peer. */
    public static GoAwayCode fromCode(long code) {
        for (GoAwayCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return PROTOCOL_ERROR;
    }
}
