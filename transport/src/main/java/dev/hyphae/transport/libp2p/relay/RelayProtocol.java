package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.MessageLite;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/** Constants of circuit relay v2 and the framing its messages share. */
public final class RelayProtocol {

    /** Clients talk to the relay on this protocol: reservations and connection initiation. */
    public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
    /** The relay talks to the target of a circuit on this protocol. */
    public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";
    /** Largest hop or stop message accepted; js-libp2p uses the same bound. */
    public static final int MAX_MESSAGE_SIZE = 4096;

    private RelayProtocol() {
    }

    /** {@code message} with its unsigned-varint length in front, as every relay message travels. */
    public static ByteBuf frame(ByteBufAllocator alloc, MessageLite message) {
        byte[] bytes = message.toByteArray();
        ByteBuf out = alloc.buffer(UnsignedVarint.encodedLength(bytes.length) + bytes.length);
        UnsignedVarint.write(bytes.length, out);
        out.writeBytes(bytes);
        return out;
    }

    /** Whether {@code address} goes through a relay ({@code …/p2p-circuit/…}). */
    public static boolean isCircuit(Multiaddr address) {
        return address.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    /**
     * Splits a circuit address {@code <relay>/p2p-circuit/p2p/<target>} into the relay's part and
     * the target's peer id text.
     *
     * @throws IllegalArgumentException if the address is not of that form
     */
    public static CircuitAddress parseCircuit(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        int circuit = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).protocol() == Protocol.P2P_CIRCUIT) {
                if (circuit >= 0) {
                    throw new IllegalArgumentException("more than one p2p-circuit in " + address);
                }
                circuit = i;
            }
        }
        if (circuit < 1 || parts.get(circuit - 1).protocol() != Protocol.P2P) {
            throw new IllegalArgumentException("a circuit address needs /p2p/<relay> before /p2p-circuit: " + address);
        }
        if (circuit != parts.size() - 2 || parts.get(circuit + 1).protocol() != Protocol.P2P) {
            throw new IllegalArgumentException("a circuit address must end in /p2p-circuit/p2p/<target>: " + address);
        }
        Multiaddr relay = join(parts.subList(0, circuit));
        return new CircuitAddress(relay, parts.get(circuit + 1).valueText());
    }

    private static Multiaddr join(List<Multiaddr.Component> parts) {
        StringBuilder text = new StringBuilder();
        for (Multiaddr.Component c : parts) {
            text.append(c);
        }
        return Multiaddr.parse(text.toString());
    }

    /**
     * A parsed circuit address.
     *
     * @param relay the relay's address, ending in {@code /p2p/<relay>}
     * @param target the target's peer id as written in the address
     */
    public record CircuitAddress(Multiaddr relay, String target) {
    }
}
