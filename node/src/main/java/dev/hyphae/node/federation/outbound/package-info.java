/**
 * Outbound federation: {@link dev.hyphae.node.federation.outbound.RoomEventFanout} queues each
 * local event durably for the room's other servers in the write unit that stores it, and
 * {@link dev.hyphae.node.federation.outbound.FederationSender} delivers the queue (and best-effort
 * EDUs) as transactions, one in flight per destination, retrying with backoff.
 */
package dev.hyphae.node.federation.outbound;
