/**
 * Room events in their federation form: {@link dev.hyphae.node.event.Pdu}, the redaction
 * algorithm, content and reference hashes, event IDs, the event format checks of each room
 * version ({@link dev.hyphae.node.event.PduFactory}), finishing this server's events
 * ({@link dev.hyphae.node.event.EventSigner}) and checking received ones
 * ({@link dev.hyphae.node.event.PduVerifier}).
 */
package dev.hyphae.node.event;
