package dev.hyphae.transport.libp2p.noise;

import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise XX handshake on a channel (noise spec): messages framed with a 2-byte
 * length, msg1 with an empty payload, msg2 carrying the responder's handshake payload and msg3 the
 * initiator's. On success it installs the {@link NoiseTransportCodec} and steps aside; on any
 * failure it closes the channel with a logged reason.
 */
public final class NoiseHandshakeHandler extends ByteToMessageDecoder {

    /** The name under which the transport codec is added. */
    public static final String TRANSPORT_CODEC_NAME = "noise-transport";

    private static final Logger LOG = LoggerFactory.getLogger(NoiseHandshakeHandler.class);

    private final boolean initiator;
    private final PrivateKey identity;
    private final Optional<PeerId> expectedRemote;
    private final List<String> muxers;
    private final SessionEstablished onEstablished;
    private final HandshakeState handshakeState;
    private final CompletableFuture<SecureSession> result = new CompletableFuture<>();
    private boolean started;

    /**
     * @param initiator whether this side dialled the connection
     * @param identity the local identity key, which signs the Noise static key
     * @param expectedRemote the peer the dialled address named with {@code /p2p/}, if any
     * @param muxers the stream muxers to advertise in the extensions; empty to advertise none
     * @param random source of the static and ephemeral keys, made fresh for every session
     */
    public NoiseHandshakeHandler(boolean initiator, PrivateKey identity, Optional<PeerId> expectedRemote,
                                 List<String> muxers, SessionEstablished onEstablished, SecureRandom random) {
        this.initiator = initiator;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.expectedRemote = Objects.requireNonNull(expectedRemote, "expectedRemote");
        this.muxers = List.copyOf(muxers);
        this.onEstablished = Objects.requireNonNull(onEstablished, "onEstablished");
        this.handshakeState = new HandshakeState(initiator, DhKeyPair.generate(random), () -> DhKeyPair.generate(random));
    }

    /** Completes with the session, or exceptionally with the reason the handshake failed. */
    public CompletableFuture<SecureSession> result() {
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (initiator) {
            writeFrame(ctx, handshakeState.writeMessage(new byte[0])); // -> e
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (!result.isDone() && in.refCnt() > 0 && in.readableBytes() >= 2) {
                int length = in.getUnsignedShort(in.readerIndex());
                if (in.readableBytes() < 2 + length) {
                    return;
                }
                in.skipBytes(2);
                byte[] message = new byte[length];
                in.readBytes(message);
                onMessage(ctx, message);
            }
        } catch (NoiseException e) {
            discard(in); // before closing, which releases the buffer
            fail(ctx, e);
        } catch (RuntimeException e) {
            discard(in);
            fail(ctx, new NoiseException("handshake failed: " + e));
        }
    }

    private void onMessage(ChannelHandlerContext ctx, byte[] message) {
        byte[] payload = handshakeState.readMessage(message);
        if (!initiator && !handshakeState.isComplete()) {
            // read -> e (its payload is empty and ignored), answer <- e, ee, s, es with our payload
            writeFrame(ctx, handshakeState.writeMessage(localPayload()));
            return;
        }
        HandshakePayload remote = HandshakePayload.verify(payload, handshakeState.remoteStaticKey());
        if (expectedRemote.isPresent() && !expectedRemote.get().equals(remote.peerId())) {
            throw new NoiseException("remote is " + remote.peerId() + ", expected " + expectedRemote.get());
        }
        if (initiator) {
            writeFrame(ctx, handshakeState.writeMessage(localPayload())); // -> s, se
        }
        establish(ctx, remote);
    }

    private byte[] localPayload() {
        return HandshakePayload.encode(identity, handshakeState.localStaticKey(), muxers);
    }

    private void establish(ChannelHandlerContext ctx, HandshakePayload remote) {
        SecureSession session = new SecureSession(initiator, identity.peerId(), remote.peerId(),
            remote.identityKey(), earlyMuxer(remote.streamMuxers()));
        ctx.pipeline().addAfter(ctx.name(), TRANSPORT_CODEC_NAME, new NoiseTransportCodec(handshakeState.split()));
        onEstablished.established(ctx, session);
        result.complete(session);
        ctx.pipeline().remove(this);
    }

    /**
     * Early muxer negotiation: only when both sides sent a list; the initiator's order decides.
     * Hyphae advertises a single muxer, so js-libp2p's habit of picking from the remote list cannot
     * lead to a different choice.
     */
    private Optional<String> earlyMuxer(List<String> remoteMuxers) {
        if (muxers.isEmpty() || remoteMuxers.isEmpty()) {
            return Optional.empty();
        }
        List<String> initiatorOrder = initiator ? muxers : remoteMuxers;
        List<String> other = initiator ? remoteMuxers : muxers;
        return initiatorOrder.stream().filter(other::contains).findFirst();
    }

    private void writeFrame(ChannelHandlerContext ctx, byte[] message) {
        ByteBuf frame = ctx.alloc().buffer(2 + message.length);
        frame.writeShort(message.length);
        frame.writeBytes(message);
        ctx.writeAndFlush(frame);
    }

    private void fail(ChannelHandlerContext ctx, NoiseException reason) {
        if (result.completeExceptionally(reason)) {
            LOG.debug("closing {}: noise handshake failed: {}", ctx.channel(), reason.getMessage());
            ctx.close();
        }
    }

    private static void discard(ByteBuf in) {
        if (in.refCnt() > 0) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.completeExceptionally(new NoiseException("connection closed during the handshake"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new NoiseException("handshake failed: " + cause));
    }
}
