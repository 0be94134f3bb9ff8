/**
 * Multiformats used on the libp2p wire: the unsigned varint, multibase, the text forms of peer ids
 * and multiaddrs (text and binary), all strict: bad input raises an exception naming the reason.
 */
package dev.hyphae.transport.libp2p.multiaddr;
