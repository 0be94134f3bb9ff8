package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayProtocolTest {

    private static final String RELAY = "12D3KooWSPLmdUYGD3KVPVjiDnEDLZo5d9RNAyd2Ygizb69FmVcu";
    private static final String TARGET = "12D3KooWC2rzkdPcTkzVbUuyhceBYPSqZfHA7hH4V4jxyMisvZyp";

    @Test
    void circuitAddressSplitsIntoRelayAndTarget() {
        Multiaddr address = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + RELAY + "/p2p-circuit/p2p/" + TARGET);

        RelayProtocol.CircuitAddress circuit = RelayProtocol.parseCircuit(address);

        assertTrue(RelayProtocol.isCircuit(address));
        assertEquals(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + RELAY), circuit.relay());
        assertEquals(TARGET, circuit.target());
    }

    @Test
    void circuitAddressMayNameTheRelayOnly() {
        RelayProtocol.CircuitAddress circuit = RelayProtocol.parseCircuit(
            Multiaddr.parse("/p2p/" + RELAY + "/p2p-circuit/p2p/" + TARGET));

        assertEquals(Multiaddr.parse("/p2p/" + RELAY), circuit.relay());
    }

    @Test
    void malformedCircuitAddressesAreRejected() {
        for (String bad : new String[] {
            "/ip4/127.0.0.1/tcp/4001/p2p-circuit/p2p/" + TARGET,
            "/p2p/" + RELAY + "/p2p-circuit",
            "/p2p/" + RELAY + "/p2p-circuit/p2p/" + TARGET + "/p2p-circuit/p2p/" + TARGET,
            "/p2p/" + RELAY + "/p2p-circuit/ip4/127.0.0.1"}) {
            assertThrows(IllegalArgumentException.class, () -> RelayProtocol.parseCircuit(Multiaddr.parse(bad)), bad);
        }
        assertFalse(RelayProtocol.isCircuit(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + RELAY)));
    }

    @Test
    void limitRoundTripsThroughItsMessageAndZeroMeansUnlimited() {
        CircuitLimit limit = new CircuitLimit(Duration.ofSeconds(120), 131072);

        assertEquals(limit, CircuitLimit.fromProto(limit.toProto()));
        CircuitLimit none = CircuitLimit.fromProto(CircuitProto.Limit.getDefaultInstance());
        assertFalse(none.limitsData());
        assertFalse(none.limitsDuration());
    }
}
