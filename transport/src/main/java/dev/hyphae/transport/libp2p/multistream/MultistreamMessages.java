package dev.hyphae.transport.libp2p.multistream;

import dev.hyphae.transport.libp2p.multiaddr.InvalidVarintException;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

/**
 * The multistream-select 1.0 message framing: uvarint length, UTF-8 text, {@code '\n'}, where the
 * length counts the newline.
 */
public final class MultistreamMessages {

    /** The header both sides send first. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    /** The listener's refusal of a proposed protocol. */
    public static final String NA = "na";
    /** The dialer's request for the listener's protocol list. */
    public static final String LS = "ls";
    /** The longest protocol name, in UTF-8 bytes, that either side accepts. */
    public static final int MAX_NAME_BYTES = 1024;

    private MultistreamMessages() {
    }

    /** Appends one message. */
    public static void write(ByteBuf out, String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("protocol name longer than " + MAX_NAME_BYTES + " bytes");
        }
        UnsignedVarint.write(utf8.length + 1L, out);
        out.writeBytes(utf8);
        out.writeByte('\n');
    }

    /** Several messages in one buffer, so that they leave in a single write. */
    public static ByteBuf encode(ByteBufAllocator alloc, String... messages) {
        ByteBuf out = alloc.buffer();
        for (String m : messages) {
            write(out, m);
        }
        return out;
    }

    /**
     * The answer to {@code ls}: one message whose body is the length-prefixed {@code proto\n}
     * entries followed by a final newline, as js-libp2p writes it.
     */
    public static ByteBuf encodeList(ByteBufAllocator alloc, Collection<String> protocols) {
        ByteBuf body = alloc.buffer();
        try {
            for (String p : protocols) {
                write(body, p);
            }
            body.writeByte('\n');
            ByteBuf out = alloc.buffer(body.readableBytes() + UnsignedVarint.MAX_BYTES);
            UnsignedVarint.write(body.readableBytes(), out);
            out.writeBytes(body);
            return out;
        } finally {
            body.release();
        }
    }

    /**
     * Reads one message if a complete one is buffered; empty if more bytes must arrive.
     *
     * @throws MultistreamException if the bytes cannot be a valid message
     */
    public static Optional<String> read(ByteBuf in) {
        int varintLength;
        try {
            varintLength = UnsignedVarint.completeLength(in);
        } catch (InvalidVarintException e) {
            throw new MultistreamException("bad message length: " + e.getMessage());
        }
        if (varintLength == 0) {
            return Optional.empty();
        }
        long length = peekLength(in);
        if (length < 1 || length > MAX_NAME_BYTES + 1) {
            throw new MultistreamException("message length " + length + " outside 1.." + (MAX_NAME_BYTES + 1));
        }
        if (in.readableBytes() < varintLength + length) {
            return Optional.empty();
        }
        in.skipBytes(varintLength);
        int textLength = (int) length - 1;
        ByteBuffer text = in.nioBuffer(in.readerIndex(), textLength);
        in.skipBytes(textLength);
        if (in.readByte() != '\n') {
            throw new MultistreamException("message does not end with a newline");
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(text)
                .toString());
        } catch (CharacterCodingException e) {
            throw new MultistreamException("message is not valid UTF-8");
        }
    }

    private static long peekLength(ByteBuf in) {
        ByteBuf view = in.duplicate();
        return UnsignedVarint.read(view);
    }
}
