package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.kad.proto.KadProto;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between DHT protobuf messages and their framing (uvarint length + protobuf) and
 * model objects. Peers are read leniently: an entry with a bad id is skipped, addresses that do
 * not parse are dropped, so one bad entry does not spoil a whole answer.
 */
public final class KadMessages {

    /** Addresses kept per peer from a message; more are ignored. */
    static final int MAX_ADDRS_PER_PEER = 32;
    /** Peers kept from one list of a message; more are ignored. */
    static final int MAX_PEERS = 64;

    private KadMessages() {
    }

    /** Frames {@code message} for the wire. */
    public static ByteBuf frame(ByteBufAllocator alloc, Message message) {
        byte[] bytes = message.toByteArray();
        ByteBuf out = alloc.buffer(UnsignedVarint.encodedLength(bytes.length) + bytes.length);
        UnsignedVarint.write(bytes.length, out);
        out.writeBytes(bytes);
        return out;
    }

    /**
     * Parses one message body and checks its type is known.
     *
     * @throws KadProtocolException if it is not a DHT message
     */
    public static Message parse(ByteBuf body) throws KadProtocolException {
        Message message;
        try (ByteBufInputStream in = new ByteBufInputStream(body)) {
            message = Message.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new KadProtocolException("malformed message: " + e.getMessage());
        } catch (IOException e) {
            throw new KadProtocolException("unreadable message: " + e.getMessage());
        }
        // proto2 keeps an unknown enum number as an unknown field and reads the type as PUT_VALUE
        if (message.getUnknownFields().hasField(Message.TYPE_FIELD_NUMBER)) {
            throw new KadProtocolException("unknown or mistyped message type " + message.getUnknownFields()
                .getField(Message.TYPE_FIELD_NUMBER).getVarintList());
        }
        return message;
    }

    public static Message.Peer toProto(KadPeer peer, Message.ConnectionType connection) {
        Message.Peer.Builder b = Message.Peer.newBuilder().setId(ByteString.copyFrom(peer.id().toBytes()));
        peer.addrs().forEach(a -> b.addAddrs(ByteString.copyFrom(a.toBytes())));
        return b.setConnection(connection).build();
    }

    public static List<Message.Peer> toProto(List<KadPeer> peers) {
        List<Message.Peer> result = new ArrayList<>(peers.size());
        peers.forEach(p -> result.add(toProto(p, Message.ConnectionType.NOT_CONNECTED)));
        return result;
    }

    /** The usable peers of a message list (see the class comment). */
    public static List<KadPeer> fromProto(List<Message.Peer> peers) {
        List<KadPeer> result = new ArrayList<>();
        for (Message.Peer p : peers) {
            if (result.size() >= MAX_PEERS) {
                break;
            }
            PeerId id;
            try {
                id = PeerId.fromBytes(p.getId().toByteArray());
            } catch (IllegalArgumentException e) {
                continue;
            }
            List<Multiaddr> addrs = new ArrayList<>();
            for (ByteString a : p.getAddrsList()) {
                if (addrs.size() >= MAX_ADDRS_PER_PEER) {
                    break;
                }
                try {
                    addrs.add(Multiaddr.fromBytes(a.toByteArray()).withoutPeerId());
                } catch (IllegalArgumentException e) {
                    // an address we cannot use; the others may still do
                }
            }
            result.add(new KadPeer(id, addrs));
        }
        return result;
    }

    public static Message findNode(byte[] key) {
        return Message.newBuilder().setType(Message.MessageType.FIND_NODE).setKey(ByteString.copyFrom(key)).build();
    }

    public static Message getValue(byte[] key) {
        return Message.newBuilder().setType(Message.MessageType.GET_VALUE).setKey(ByteString.copyFrom(key)).build();
    }

    public static Message putValue(byte[] key, byte[] value) {
        ByteString k = ByteString.copyFrom(key);
        return Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(k)
            .setRecord(KadProto.Record.newBuilder().setKey(k).setValue(ByteString.copyFrom(value))).build();
    }

    public static Message getProviders(byte[] key) {
        return Message.newBuilder().setType(Message.MessageType.GET_PROVIDERS).setKey(ByteString.copyFrom(key)).build();
    }

    public static Message addProvider(byte[] key, KadPeer self) {
        return Message.newBuilder().setType(Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
            .addProviderPeers(toProto(self, Message.ConnectionType.CONNECTED)).build();
    }
}
