/** The node's one Ed25519 identity key and the names derived from it (server name, peer ID, signing key ID). */
package dev.hyphae.node.identity;
