/**
 * multistream-select 1.0 (connections spec) as Netty handlers for the dialer and listener roles,
 * usable on raw connections (security and muxer selection) and on muxed streams.
 */
package dev.hyphae.transport.libp2p.multistream;
