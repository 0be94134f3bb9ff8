package dev.hyphae.transport.libp2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise transport messages as libp2p frames them: a 2-byte big-endian length, then the ciphertext
 * of at most 65535 bytes including the 16-byte tag. Outbound bytes are split into as many
 * messages as needed; an inbound message that fails authentication closes the connection.
 */
public final class NoiseTransportCodec extends ByteToMessageCodec<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportCodec.class);

    /** The most plaintext one transport message can carry. */
    public static final int MAX_PLAINTEXT = HandshakeState.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;

    private static final byte[] NO_AD = new byte[0];

    private final CipherState sender;
    private final CipherState receiver;
    private boolean failed;

    public NoiseTransportCodec(HandshakeState.TransportCiphers ciphers) {
        super(ByteBuf.class);
        this.sender = ciphers.sender();
        this.receiver = ciphers.receiver();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, ByteBuf out) {
        while (msg.isReadable()) {
            int length = Math.min(msg.readableBytes(), MAX_PLAINTEXT);
            byte[] plaintext = new byte[length];
            msg.readBytes(plaintext);
            byte[] ciphertext = sender.encryptWithAd(NO_AD, plaintext);
            out.writeShort(ciphertext.length);
            out.writeBytes(ciphertext);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + length) {
                return;
            }
            in.skipBytes(2);
            byte[] ciphertext = new byte[length];
            in.readBytes(ciphertext);
            byte[] plaintext;
            try {
                plaintext = receiver.decryptWithAd(NO_AD, ciphertext);
            } catch (NoiseException e) {
                failed = true;
                in.skipBytes(in.readableBytes()); // before closing, which releases the buffer
                LOG.debug("closing {}: noise transport message rejected: {}", ctx.channel(), e.getMessage());
                ctx.close();
                return;
            }
            if (plaintext.length > 0) {
                out.add(ctx.alloc().buffer(plaintext.length).writeBytes(plaintext));
            }
        }
    }
}
