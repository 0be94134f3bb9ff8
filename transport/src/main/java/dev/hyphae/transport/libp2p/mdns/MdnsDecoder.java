package dev.hyphae.transport.libp2p.mdns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import java.util.List;

/**
 * Decodes datagrams into DNS queries or responses. One mDNS socket hears both, and Netty's DNS
 * decoders each take only one kind, so the QR bit of the header picks the decoder.
 */
final class MdnsDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private static final int HEADER_LENGTH = 12;

    private final QueryDecoder queries = new QueryDecoder();
    private final ResponseDecoder responses = new ResponseDecoder();

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) throws Exception {
        ByteBuf content = packet.content();
        if (content.readableBytes() < HEADER_LENGTH) {
            throw new CorruptedFrameException("DNS message of " + content.readableBytes() + " bytes is shorter than its header");
        }
        boolean response = (content.getByte(content.readerIndex() + 2) & 0x80) != 0;
        if (response) {
            responses.decode(ctx, packet, out);
        } else {
            queries.decode(ctx, packet, out);
        }
    }

    private static final class QueryDecoder extends DatagramDnsQueryDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) throws Exception {
            super.decode(ctx, packet, out);
        }
    }

    private static final class ResponseDecoder extends DatagramDnsResponseDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) throws Exception {
            super.decode(ctx, packet, out);
        }
    }
}
