package dev.hyphae.transport.libp2p.host;

/**
 * Connection limits of a host.
 *
 * @param maxConnections live connections in total, inbound and outbound
 * @param maxConnectionsPerPeer live connections to one peer
 * @param inboundBurstPerIp inbound connections one IP address may open at once
 * @param inboundPerIpPerSecond the rate at which that allowance refills
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerPeer, int inboundBurstPerIp,
                               double inboundPerIpPerSecond) {

    public ConnectionLimits {
        if (maxConnections < 1 || maxConnectionsPerPeer < 1 || inboundBurstPerIp < 1 || inboundPerIpPerSecond <= 0) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    /** 200 connections, 2 per peer, bursts of 10 inbound connections per IP refilling at 1 a second. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(200, 2, 10, 1.0);
    }
}
