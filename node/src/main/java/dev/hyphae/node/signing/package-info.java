/** Unpadded base64, Ed25519 keys, and signing and checking JSON objects (appendices, "Signing JSON"). */
package dev.hyphae.node.signing;
