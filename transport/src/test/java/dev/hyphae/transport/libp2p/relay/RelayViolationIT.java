package dev.hyphae.transport.libp2p.relay;

import static dev.hyphae.transport.libp2p.relay.RelayIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.HopMessage;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.StopMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad hop and stop messages end the stream they came on, with the spec's status, and nothing else. */
class RelayViolationIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    /** Opens {@code protocol}, sends {@code bytes}, and collects what comes back until the remote closes the stream. */
    private static CompletableFuture<byte[]> exchange(Connection connection, String protocol, byte[] bytes) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        connection.openStream(protocol, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "collect",
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                    buf.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                    c.close();
                }

                @Override
                public void channelInactive(ChannelHandlerContext c) {
                    result.complete(received.toByteArray());
                }
            })).thenAccept(s -> s.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
        return result;
    }

    private static byte[] framed(byte[] message) {
        byte[] length = UnsignedVarint.encode(message.length);
        byte[] out = Arrays.copyOf(length, length.length + message.length);
        System.arraycopy(message, 0, out, length.length, message.length);
        return out;
    }

    private static HopMessage hopAnswer(byte[] bytes) throws Exception {
        UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, 0);
        return HopMessage.parseFrom(Arrays.copyOfRange(bytes, length.length(), length.length() + (int) length.value()));
    }

    private static StopMessage stopAnswer(byte[] bytes) throws Exception {
        UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, 0);
        return StopMessage.parseFrom(Arrays.copyOfRange(bytes, length.length(), length.length() + (int) length.value()));
    }

    private static void stillUp(Libp2pHost from, Connection connection) throws Exception {
        assertTrue(connection.channel().isActive(), "connection still open");
        assertTrue(await(from.ping(connection)).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void unparsableHopMessageIsAnsweredMalformedAndEndsOnlyThatStream() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
        Libp2pHost peer = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection toRelay = await(peer.dial(relay.addresses().get(0)));

        byte[] answer = await(exchange(toRelay, RelayProtocol.HOP, new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));

        assertEquals(Status.MALFORMED_MESSAGE, hopAnswer(answer).getStatus());
        stillUp(peer, toRelay);
    }

    @Test
    void statusSentToTheRelayIsAnUnexpectedMessage() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
        Libp2pHost peer = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection toRelay = await(peer.dial(relay.addresses().get(0)));
        byte[] status = framed(HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK).build()
            .toByteArray());

        byte[] answer = await(exchange(toRelay, RelayProtocol.HOP, status));

        assertEquals(Status.UNEXPECTED_MESSAGE, hopAnswer(answer).getStatus());
        stillUp(peer, toRelay);
    }

    @Test
    void connectNamingAnInvalidPeerIsMalformed() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
        Libp2pHost peer = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection toRelay = await(peer.dial(relay.addresses().get(0)));
        byte[] connect = framed(HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
            .setPeer(CircuitProto.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {1, 2, 3}))).build()
            .toByteArray());

        byte[] answer = await(exchange(toRelay, RelayProtocol.HOP, connect));

        assertEquals(Status.MALFORMED_MESSAGE, hopAnswer(answer).getStatus());
        stillUp(peer, toRelay);
    }

    @Test
    void oversizedStopMessageIsAnsweredMalformedAndEndsOnlyThatStream() throws Exception {
        Libp2pHost target = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Libp2pHost fakeRelay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection toTarget = await(fakeRelay.dial(target.addresses().get(0)));
        byte[] huge = new byte[5000];
        huge[0] = (byte) 0x88;
        huge[1] = 0x27; // 5000

        byte[] answer = await(exchange(toTarget, RelayProtocol.STOP, huge));

        assertEquals(Status.MALFORMED_MESSAGE, stopAnswer(answer).getStatus());
        stillUp(fakeRelay, toTarget);
    }

    @Test
    void stopWithoutAPeerIsMalformedAndStatusIsUnexpected() throws Exception {
        Libp2pHost target = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Libp2pHost fakeRelay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection toTarget = await(fakeRelay.dial(target.addresses().get(0)));

        byte[] noPeer = await(exchange(toTarget, RelayProtocol.STOP,
            framed(StopMessage.newBuilder().setType(StopMessage.Type.CONNECT).build().toByteArray())));
        byte[] status = await(exchange(toTarget, RelayProtocol.STOP,
            framed(StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(Status.OK).build().toByteArray())));

        assertEquals(Status.MALFORMED_MESSAGE, stopAnswer(noPeer).getStatus());
        assertEquals(Status.UNEXPECTED_MESSAGE, stopAnswer(status).getStatus());
        stillUp(fakeRelay, toTarget);
    }
}
