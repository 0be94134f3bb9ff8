/**
 * Peer discovery on the local network with multicast DNS (libp2p mDNS spec, RFC 6762): a
 * {@link dev.hyphae.transport.libp2p.mdns.MdnsDiscovery} asks {@code _p2p._udp.local PTR} on start
 * and periodically, answers such questions with its peer name and {@code dnsaddr=} TXT records, and
 * reports the peers that others' answers name.
 */
package dev.hyphae.transport.libp2p.mdns;
