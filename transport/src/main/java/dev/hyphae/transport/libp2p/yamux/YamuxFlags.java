package dev.hyphae.transport.libp2p.yamux;

/** The bits of the yamux header's Flags field. */
public final class YamuxFlags {
    /** Start of a new stream; with Ping: a request. */
    public static final int SYN = 0x1;
    /** Acknowledges a new stream; with Ping: a response. */
    public static final int ACK = 0x2;
    /** Half-close: the sender will send no further data. */
    public static final int FIN = 0x4;
    /** Resets the stream immediately. */
    public static final int RST = 0x8;

    private YamuxFlags() {
    }

    public static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }

    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        if (has(flags, SYN)) sb.append("SYN|");
        if (has(flags, ACK)) sb.append("ACK|");
        if (has(flags, FIN)) sb.append("FIN|");
        if (has(flags, RST)) sb.append("RST|");
        int unknown = flags & ~(SYN | ACK | FIN | RST);
        if (unknown != 0) sb.append("0x").append(Integer.toHexString(unknown)).append('|');
        return sb.length() == 0 ? "-" : sb.substring(0, sb.length() - 1);
    }
}
