package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.mux.StreamMuxer;
import dev.hyphae.transport.libp2p.mux.StreamMuxerContract;

class YamuxMuxerTest extends StreamMuxerContract {
    @Override
    protected StreamMuxer newMuxer(int maxInboundStreams) {
        return new YamuxMuxer(YamuxConfig.defaults().withMaxInboundStreams(maxInboundStreams));
    }
}
