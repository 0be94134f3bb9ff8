/**
 * Circuit relay v2 (relay/circuit-v2 spec): the client side ({@link
 * dev.hyphae.transport.libp2p.relay.RelayClient}: reservations, dialling through a relay, accepting
 * relayed connections on the stop protocol) and the relay service ({@link
 * dev.hyphae.transport.libp2p.relay.RelayService}: reservations and circuits within {@link
 * dev.hyphae.transport.libp2p.relay.RelayLimits}). A relayed connection is a hop or stop stream
 * upgraded with Noise and yamux end to end, giving an ordinary {@link
 * dev.hyphae.transport.libp2p.connection.Connection}.
 */
package dev.hyphae.transport.libp2p.relay;
