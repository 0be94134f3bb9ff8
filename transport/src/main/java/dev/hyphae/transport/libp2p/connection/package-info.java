/**
 * The TCP transport and the connection upgrader (connections spec): raw TCP, multistream-select
 * {@code /noise}, Noise, then the stream muxer, giving a {@link
 * dev.hyphae.transport.libp2p.connection.Connection} that opens and accepts protocol streams.
 */
package dev.hyphae.transport.libp2p.connection;
