/**
 * The router: turns a server name ({@code <56 base32>.onion}, the onion address of the node's
 * Ed25519 key, see {@link dev.hyphae.transport.router.OnionAddress}) into a live libp2p
 * connection, trying its {@link dev.hyphae.transport.router.Route}s in order. Nothing above the
 * router knows which route was taken.
 */
package dev.hyphae.transport.router;
