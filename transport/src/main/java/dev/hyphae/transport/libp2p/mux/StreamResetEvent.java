package dev.hyphae.transport.libp2p.mux;

/** User event fired on a stream's pipeline when the remote reset the stream, just before it closes. */
public final class StreamResetEvent {
    public static final StreamResetEvent INSTANCE = new StreamResetEvent();

    private StreamResetEvent() {
    }

    @Override
    public String toString() {
        return "StreamResetEvent";
    }
}
