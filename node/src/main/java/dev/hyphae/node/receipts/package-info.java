/**
 * Receipts and read markers: {@code POST /rooms/{roomId}/receipt/...} and
 * {@code POST /rooms/{roomId}/read_markers}, durable receipts (public, private and threaded), the
 * {@code m.receipt} ephemeral event of /sync, the {@code m.fully_read} room account data and the
 * {@code m.receipt} EDU both ways.
 */
package dev.hyphae.node.receipts;
