package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.transport.tor.TorHttpClient;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TorFederationClientTest {
    private final NodeIdentity self = NodeIdentity.fromSeed(new byte[32]);
    private NioEventLoopGroup group;
    private TorFederationClient client;

    @BeforeEach
    void clientWithoutATorBehindItsSocksPort() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort);
        group = new NioEventLoopGroup(1);
        client = new TorFederationClient(new XMatrixSigner(self.serverName(), self.signingKey()),
                new TorHttpClient(group, () -> nobody, Duration.ofSeconds(5), Duration.ofSeconds(5), 4096));
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private FederationException failure(String destination) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.request(
                FederationRequest.get(destination, "/_matrix/federation/v1/version")).get(30, TimeUnit.SECONDS));
        return assertInstanceOf(FederationException.class, e.getCause());
    }

    @Test
    void aServerNameThatIsNoOnionAddressIsUnreachableOverTor() {
        FederationException failure = failure("matrix.org");

        assertTrue(failure.unreachable());
        assertTrue(failure.getMessage().contains("onion"), failure.getMessage());
    }

    @Test
    void aTorThatCannotBeReachedMakesTheDestinationUnreachable() {
        String destination = NodeIdentity.fromSeed(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32}).serverName();

        FederationException failure = failure(destination);

        assertTrue(failure.unreachable());
        assertEquals(destination, failure.destination());
        assertTrue(failure.getMessage().contains("SOCKS"), failure.getMessage());
    }
}
