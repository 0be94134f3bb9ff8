/**
 * The room half of federation: the checks on receipt of a PDU ({@link
 * dev.hyphae.node.federation.rooms.IncomingPdus}), the server-server endpoints on rooms
 * (transactions, make/send join, leave and knock, invites, event retrieval, profile queries) and
 * joins, leaves and invites of local users across servers ({@link
 * dev.hyphae.node.federation.rooms.FederationMemberships}). {@link
 * dev.hyphae.node.federation.rooms.FederationRooms} builds them all from the node's parts.
 */
package dev.hyphae.node.federation.rooms;
