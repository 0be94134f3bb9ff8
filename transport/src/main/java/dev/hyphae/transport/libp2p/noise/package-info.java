/**
 * The libp2p Noise secure channel (noise spec): Noise_XX_25519_ChaChaPoly_SHA256 written from the
 * Noise Protocol Framework on BouncyCastle primitives, the signed libp2p handshake payload with
 * early muxer negotiation, and the 2-byte length framed transport codec.
 */
package dev.hyphae.transport.libp2p.noise;
