/**
 * What the ephemeral data units (typing, receipts, presence) share: which servers a room's EDUs go
 * to, and whether a received EDU's user belongs to the server that sent it.
 */
package dev.hyphae.node.edu;
